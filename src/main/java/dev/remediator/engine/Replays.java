package dev.remediator.engine;

import dev.remediator.alert.AlertStatus;
import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditEvent.Kind;
import dev.remediator.audit.AuditLog;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.Database;
import dev.remediator.store.Ledger;
import dev.remediator.store.RemediationLedger;
import dev.remediator.store.RemediationRef;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationStore;
import dev.remediator.store.StoredAlert;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Alerts replayed by hand, decided at once on the operator's request through the {@link Decider}'s
 * two phases, under the decider lock, so the answer says exactly what was decided. A rule that
 * already decided the occurrence is reported with that remediation and left alone, unless the
 * operator forces it with a reason: then the old remediation stays as it is and the rule decides
 * the occurrence again as its next replay generation, audited with the reason. A dry run asks the
 * same guards against the live ledger, read only, and writes nothing.
 */
public final class Replays {
  /**
   * How long the decider leaves the alerts a replay stored to the replay, which decides them at
   * once; past it, the decider takes over whatever the replay did not decide (it failed).
   */
  public static final Duration HOLD = Duration.ofMinutes(1);

  private final Decider decider;
  private final AlertInbox inbox;
  private final RemediationStore remediations;
  private final AuditLog audit;
  private final GuardChain guards;
  private final Supplier<RuleSet> rules;
  private final Clock clock;

  /** Who replays, and whether to decide again what a rule already decided (then with a reason). */
  public record Request(String actor, boolean force, String reason) {
    public Request {
      Objects.requireNonNull(actor, "actor");
      if (force && (reason == null || reason.isBlank())) {
        throw new IllegalArgumentException("a forced replay needs a reason");
      }
    }
  }

  public Replays(Decider decider, AlertInbox inbox, RemediationStore remediations, AuditLog audit, GuardChain guards,
                 Supplier<RuleSet> rules, Clock clock) {
    this.decider = decider;
    this.inbox = inbox;
    this.remediations = remediations;
    this.audit = audit;
    this.guards = guards;
    this.rules = rules;
    this.clock = clock;
  }

  /**
   * Decides the stored {@code alerts} of a replay. {@code storedNow} holds the ids of those this
   * replay stored as new occurrences: if the background decider decided one of them first, its
   * decision is this replay's and is reported as such, not as one that already ran.
   */
  public List<ReplayOutcome> replay(Database database, List<StoredAlert> alerts, Set<Long> storedNow,
                                    Request request) {
    Map<Long, AlertInbox.EarlierRow> earlier = database.inTransaction(c -> inbox.earlierRows(c, alerts));
    Instant now = clock.instant();
    RuleSet ruleSet = rules.get();
    Map<List<Object>, DecisionContext.Pin> pinned = new HashMap<>();
    List<Decider.Plan> plans = new ArrayList<>(alerts.size());
    for (StoredAlert alert : alerts) {
      plans.add(decider.prepare(ruleSet, alert, now, pinned, Optional.ofNullable(earlier.get(alert.id()))));
    }
    List<Runnable> afterCommit = new ArrayList<>();
    List<ReplayOutcome> outcomes = database.inTransaction(connection -> {
      afterCommit.clear();
      inbox.lock(connection);
      List<StoredAlert> undecided = inbox.stillUndecided(connection, alerts);
      Set<Long> undecidedIds = undecided.stream().map(StoredAlert::id).collect(Collectors.toSet());
      Map<Ledger.Budget, BatchLedger> ledgers = Decider.ledgers(connection);
      List<AuditEvent> events = new ArrayList<>();
      List<ReplayOutcome> answer = new ArrayList<>();
      for (Decider.Plan plan : plans) {
        Step step = new Step(connection, plan, storedNow.contains(plan.alert().id()), request, ledgers, now, events,
            afterCommit);
        answer.addAll(replayOne(step, undecidedIds.contains(plan.alert().id())));
      }
      audit.append(connection, events);
      inbox.markDecided(connection, undecided, now);
      return answer;
    });
    afterCommit.forEach(Runnable::run);
    return outcomes;
  }

  /** What deciding one replayed alert works with, in the replay's transaction. */
  private record Step(Connection connection, Decider.Plan plan, boolean storedNow, Request request,
                      Map<Ledger.Budget, BatchLedger> ledgers, Instant now, List<AuditEvent> events,
                      List<Runnable> afterCommit) {
    StoredAlert alert() {
      return plan.alert();
    }
  }

  /** Writes one generation of a (rule, occurrence) decision; empty when its key was taken. */
  private interface Write {
    Optional<Decider.Recorded> at(Decider.Generation generation) throws SQLException;
  }

  private List<ReplayOutcome> replayOne(Step step, boolean undecided) throws SQLException {
    StoredAlert stored = step.alert();
    String actor = step.request().actor();
    if (step.plan().failure() != null) {
      String message = Decider.describe(step.plan().failure());
      if (undecided) {
        inbox.markFailed(step.connection(), stored, step.now(), message);
      }
      step.events().add(AuditEvent.forAlert(step.now(), Kind.DECIDE_FAILED, actor, stored, "failed",
          Map.of("error", message)));
      return List.of(ReplayOutcome.ofAlert(stored, ReplayOutcome.FAILED, message));
    }
    if (stored.alert().status() == AlertStatus.RESOLVED) {
      List<RemediationRef> cancelled = decider.cancel(step.connection(), stored, step.now(), step.events(), actor);
      if (cancelled.isEmpty()) {
        return List.of(ReplayOutcome.ofAlert(stored, ReplayOutcome.NOTHING_TO_CANCEL,
            "resolved: no remediation of this occurrence was waiting to start"));
      }
      return cancelled.stream().map(ref -> ReplayOutcome.cancelled(stored, ref)).toList();
    }
    Decider.Refusal refusal = step.plan().refusal();
    List<ReplayOutcome> outcomes = new ArrayList<>();
    if (refusal != null && !refusal.rules().isEmpty()) {
      for (Rule rule : refusal.rules()) {
        outcomes.add(replayRule(step, rule, generation -> decider.refuse(step.connection(), stored, rule,
            refusal.reason(), step.now(), step.events(), step.afterCommit(), generation)));
      }
      return outcomes;
    }
    if (step.plan().prepared().isEmpty()) {
      step.events().add(Decider.unmatched(step.plan(), step.now(), actor));
      return List.of(ReplayOutcome.ofAlert(stored, ReplayOutcome.UNMATCHED,
          "no rule of " + step.plan().ruleSet().source() + " matches"));
    }
    for (GuardChain.Prepared prepared : step.plan().prepared()) {
      outcomes.add(replayRule(step, prepared.context().rule(), generation -> decider.decide(step.connection(),
          step.plan(), prepared, step.ledgers(), step.now(), step.events(), step.afterCommit(), generation)));
    }
    return outcomes;
  }

  /**
   * One rule of a replayed alert: decides an occurrence the rule never decided; reports one it
   * did as already run, unless forced, when it decides it again as the next generation.
   */
  private ReplayOutcome replayRule(Step step, Rule rule, Write write) throws SQLException {
    StoredAlert stored = step.alert();
    String actor = step.request().actor();
    List<RemediationStore.Generation> earlier = remediations.generations(step.connection(), rule.name(),
        stored.alert().fingerprint(), stored.alert().startsAt());
    if (earlier.isEmpty()) {
      return written(stored, rule, write.at(new Decider.Generation(actor, 0, null, null)), null);
    }
    RemediationStore.Generation last = earlier.get(earlier.size() - 1);
    if (step.storedNow()) {
      return new ReplayOutcome(stored, rule.name(), ReplayOutcome.outcomeOf(last.state()), last.state(), last.id(),
          null, null, "decided by the decider as the replayed alert arrived", List.of(), Map.of());
    }
    if (!step.request().force()) {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("reason", "this rule already decided the occurrence; replay with force and a reason to decide again");
      detail.put("state", last.state().wireName());
      step.events().add(AuditEvent.forRule(step.now(), Kind.DUPLICATE, actor, stored, rule, "already_decided", detail)
          .withRemediation(last.id()));
      return new ReplayOutcome(stored, rule.name(), ReplayOutcome.ALREADY_RAN, last.state(), last.id(), null, null,
          "remediation " + last.id() + " already decided this occurrence (" + last.state().wireName()
              + "); force with a reason to decide it again", List.of(), Map.of());
    }
    if (last.number() >= RemediationStore.MAX_GENERATION) {
      return new ReplayOutcome(stored, rule.name(), ReplayOutcome.FAILED, last.state(), last.id(), null, null,
          "this occurrence was forced " + last.number() + " times already, the most allowed", List.of(), Map.of());
    }
    int next = last.number() + 1;
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("reason", step.request().reason());
    detail.put("replayOf", last.id());
    detail.put("replayGeneration", next);
    step.events().add(AuditEvent.forRule(step.now(), Kind.REPLAYED, actor, stored, rule, "forced", detail)
        .withRemediation(last.id()));
    return written(stored, rule,
        write.at(new Decider.Generation(actor, next, last.id(), step.request().reason())), last.id());
  }

  private static ReplayOutcome written(StoredAlert stored, Rule rule, Optional<Decider.Recorded> recorded,
                                       Long replayOf) {
    return recorded.map(r -> ReplayOutcome.decided(stored, rule.name(), r, replayOf))
        .orElseGet(() -> new ReplayOutcome(stored, rule.name(), ReplayOutcome.FAILED, null, null, replayOf, null,
            "a remediation with the same key was written meanwhile", List.of(), Map.of()));
  }

  /**
   * What replaying {@code alerts} would do, written nowhere: per alert and rule, whether it
   * matches, every guard's verdict (cooldowns and limits counted in the live ledger, read only)
   * and the rendered parameters, or the remediation that already decided it unless {@code force}.
   * Nothing is pinned: the state an action acts from is read when it is decided for real.
   */
  public List<ReplayOutcome> dryRun(Database database, List<StoredAlert> alerts, boolean force) {
    Instant now = clock.instant();
    RuleSet ruleSet = rules.get();
    List<Decider.Plan> plans = new ArrayList<>(alerts.size());
    for (StoredAlert alert : alerts) {
      plans.add(decider.prepare(ruleSet, alert, now, null, Optional.empty()));
    }
    return database.inTransaction(connection -> {
      List<ReplayOutcome> answer = new ArrayList<>();
      for (Decider.Plan plan : plans) {
        answer.addAll(dryRunOne(connection, plan, force));
      }
      return answer;
    });
  }

  private List<ReplayOutcome> dryRunOne(Connection connection, Decider.Plan plan, boolean force) throws SQLException {
    StoredAlert stored = plan.alert();
    if (plan.failure() != null) {
      return List.of(ReplayOutcome.ofAlert(stored, ReplayOutcome.FAILED, Decider.describe(plan.failure())));
    }
    if (stored.alert().status() == AlertStatus.RESOLVED) {
      return List.of(ReplayOutcome.ofAlert(stored, ReplayOutcome.CANCELLED,
          "resolved: would cancel what has not started for this occurrence"));
    }
    List<ReplayOutcome> outcomes = new ArrayList<>();
    if (plan.refusal() != null && !plan.refusal().rules().isEmpty()) {
      for (Rule rule : plan.refusal().rules()) {
        outcomes.add(new ReplayOutcome(stored, rule.name(), ReplayOutcome.outcomeOf(RemediationState.SKIPPED),
            RemediationState.SKIPPED, null, null, null, plan.refusal().reason(), List.of(), Map.of()));
      }
      return outcomes;
    }
    if (plan.prepared().isEmpty()) {
      return List.of(ReplayOutcome.ofAlert(stored, ReplayOutcome.UNMATCHED,
          "no rule of " + plan.ruleSet().source() + " matches"));
    }
    for (GuardChain.Prepared prepared : plan.prepared()) {
      DecisionContext context = prepared.context();
      GuardChain.Decision decision = guards.decide(prepared, new RemediationLedger(connection, prepared.budget()));
      Map<String, Object> params = context.rendered() ? context.params() : Map.of();
      List<RemediationStore.Generation> earlier = remediations.generations(connection, context.rule().name(),
          stored.alert().fingerprint(), stored.alert().startsAt());
      if (!earlier.isEmpty() && !force) {
        RemediationStore.Generation last = earlier.get(earlier.size() - 1);
        outcomes.add(new ReplayOutcome(stored, context.rule().name(), ReplayOutcome.ALREADY_RAN, last.state(),
            last.id(), null, decision.decidedBy(), "remediation " + last.id() + " already decided this occurrence ("
            + last.state().wireName() + "); force with a reason to decide it again", decision.steps(), params));
        continue;
      }
      RemediationState state = Decider.stateFor(decision.outcome());
      Long replayOf = earlier.isEmpty() ? null : earlier.get(earlier.size() - 1).id();
      outcomes.add(new ReplayOutcome(stored, context.rule().name(), ReplayOutcome.outcomeOf(state), state, null,
          replayOf, decision.decidedBy(), decision.outcome().reason(), decision.steps(), params));
    }
    return outcomes;
  }
}
