package dev.remediator.engine;

import dev.remediator.action.Pinning;
import dev.remediator.alert.AlertStatus;
import dev.remediator.audit.AuditEvent.Kind;
import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditLog;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.rules.ActionSpec;
import dev.remediator.rules.ParamRenderer;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.Database;
import dev.remediator.store.FollowUp;
import dev.remediator.store.Ledger;
import dev.remediator.store.NewRemediation;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.RemediationLedger;
import dev.remediator.store.RemediationRef;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationStore;
import dev.remediator.store.StoreUnavailableException;
import dev.remediator.store.StoredAlert;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides stored alerts, off the request thread, in two phases. First, outside any transaction:
 * match each alert against the rules, render the parameters and ask the guards that answer from
 * that alone. Then one short transaction under the decider lock: keep the alerts no other
 * replica decided meanwhile, ask the guards that count (in the live or the dry-run ledger), and
 * write each remediation with its audit events. For a resolved alert, whatever has not started
 * is cancelled, including what awaits approval. A remediation that comes to await approval
 * gets its expiry (the rule's {@code approval_ttl}) and, when the rules name an
 * {@code escalate_to}, an escalation asking for the approval, in the same transaction. Each
 * alert is decided under its own savepoint: one that throws is marked decided with its error
 * and audited, and the others are decided as if it were not there. A live decision that finds
 * the global {@code max_actions} used up trips the {@link BlastRadius} in the same transaction:
 * remediator pauses itself and escalates once. {@link Replays} decides an operator's alerts
 * through the same two phases, one rule and replay {@link Generation} at a time.
 */
public final class Decider {
  private static final Logger log = LoggerFactory.getLogger(Decider.class);
  private static final String ACTOR = "remediator";
  /** The guard that counts {@code max_actions}, the global blast radius among them. */
  private static final String RATE_LIMIT = "rate_limit";

  private final AlertInbox inbox;
  private final RemediationStore remediations;
  private final OutboxStore outbox;
  private final AuditLog audit;
  private final GuardChain guards;
  private final Supplier<RuleSet> rules;
  private final DecisionContexts contexts;
  private final Pins pins;
  private final BlastRadius blastRadius;
  private final Clock clock;
  private final RemediatorMetrics metrics;

  public Decider(AlertInbox inbox, RemediationStore remediations, OutboxStore outbox, AuditLog audit,
                 GuardChain guards, Supplier<RuleSet> rules, Map<String, ActionSpec> actionSpecs,
                 ParamRenderer renderer, Pins pins, BlastRadius blastRadius, Clock clock, RemediatorMetrics metrics) {
    this.inbox = inbox;
    this.remediations = remediations;
    this.outbox = outbox;
    this.audit = audit;
    this.guards = guards;
    this.rules = rules;
    this.contexts = new DecisionContexts(actionSpecs, renderer);
    this.pins = pins;
    this.blastRadius = blastRadius;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Decides up to {@code limit} of the oldest undecided alerts; returns how many it decided (or marked failed). */
  public int decideBatch(Database database, int limit) {
    Map<Long, AlertInbox.EarlierRow> earlier = new HashMap<>();
    Instant asOf = clock.instant();
    List<StoredAlert> batch = database.inTransaction(connection -> {
      List<StoredAlert> undecided = inbox.undecided(connection, limit, asOf);
      earlier.putAll(inbox.earlierRows(connection, undecided));
      return undecided;
    });
    if (batch.isEmpty()) {
      return 0;
    }
    Instant now = clock.instant();
    RuleSet ruleSet = rules.get();
    List<Plan> plans = new ArrayList<>(batch.size());
    Map<List<Object>, DecisionContext.Pin> pinned = new HashMap<>();
    for (StoredAlert alert : batch) {
      plans.add(prepare(ruleSet, alert, now, pinned, Optional.ofNullable(earlier.get(alert.id()))));
    }
    List<Runnable> afterCommit = new ArrayList<>();
    int decided;
    try {
      decided = database.inTransaction(connection -> record(connection, batch, plans, now, afterCommit, false));
    } catch (AlertFailed first) {
      // An alert threw for a reason of its own: decide the batch again, each alert under a
      // savepoint, so that alert alone is marked failed. Rare, so the common path has no savepoints.
      decided = database.inTransaction(connection -> record(connection, batch, plans, now, afterCommit, true));
    }
    afterCommit.forEach(Runnable::run);
    return decided;
  }

  /**
   * Phase 2 for a batch, in one transaction under the decider lock: decides the alerts no other
   * replica has decided meanwhile and writes their remediations, audit events (in one append)
   * and decided marks. With {@code savepoints}, an alert that throws for a reason of its own is
   * rolled back alone and marked failed; without, it throws {@link AlertFailed} (and the caller
   * tries again with savepoints).
   */
  private int record(Connection connection, List<StoredAlert> batch, List<Plan> plans, Instant now,
                     List<Runnable> afterCommit, boolean savepoints) throws SQLException {
    afterCommit.clear();
    inbox.lock(connection);
    List<StoredAlert> kept = inbox.stillUndecided(connection, batch);
    Map<Ledger.Budget, BatchLedger> ledgers = ledgers(connection);
    Set<Long> stillUndecided = kept.stream().map(StoredAlert::id).collect(Collectors.toSet());
    List<StoredAlert> done = new ArrayList<>(kept.size());
    List<AuditEvent> events = new ArrayList<>();
    for (Plan plan : plans) {
      if (!stillUndecided.contains(plan.alert().id())) {
        continue;
      }
      Throwable failure = plan.failure();
      if (failure == null) {
        failure = savepoints ? recordUnderSavepoint(connection, plan, ledgers, now, events, afterCommit)
            : recordOrThrow(connection, plan, ledgers, now, events, afterCommit);
      }
      if (failure == null) {
        done.add(plan.alert());
      } else {
        fail(connection, plan.alert(), failure, now, events, afterCommit);
      }
    }
    audit.append(connection, events);
    inbox.markDecided(connection, done, now);
    return kept.size();
  }

  /** One transaction's view of both budgets, kept current with the decisions it writes. */
  static Map<Ledger.Budget, BatchLedger> ledgers(Connection connection) {
    Map<Ledger.Budget, BatchLedger> ledgers = new EnumMap<>(Ledger.Budget.class);
    for (Ledger.Budget budget : Ledger.Budget.values()) {
      ledgers.put(budget, new BatchLedger(new RemediationLedger(connection, budget)));
    }
    return ledgers;
  }

  /** Thrown out of a transaction without savepoints when one alert fails for a reason of its own. */
  private static final class AlertFailed extends RuntimeException {
    AlertFailed(Throwable cause) {
      super(cause);
    }
  }

  /**
   * Phase 1: matches, renders and asks the guards that need no counts; an occurrence whose
   * timing cannot be trusted ({@link OccurrenceCheck}) is refused before any guard is asked.
   * Never throws for one alert.
   */
  Plan prepare(RuleSet ruleSet, StoredAlert stored, Instant now, Map<List<Object>, DecisionContext.Pin> pinned,
                       Optional<AlertInbox.EarlierRow> earlier) {
    if (stored.alert().status() == AlertStatus.RESOLVED) {
      return new Plan(stored, ruleSet, List.of(), null);
    }
    try {
      Optional<String> refusal = OccurrenceCheck.refusal(stored, now, earlier);
      if (refusal.isPresent()) {
        return new Plan(stored, ruleSet, List.of(), null,
            new Refusal(ruleSet.matching(stored.alert().labels()), refusal.get()));
      }
      List<GuardChain.Prepared> prepared = new ArrayList<>();
      for (Rule rule : ruleSet.matching(stored.alert().labels())) {
        DecisionContext context = contexts.of(ruleSet, rule, stored, now);
        GuardChain.Prepared first = guards.prepare(context);
        // Only a decision that may act live pins: a dry run would pin state it never acts from,
        // and a target that is not set up yet would fail every dry-run decision.
        if (pinned != null && first.budget() == Ledger.Budget.LIVE && context.rendered()) {
          DecisionContext.Pin pin = pinned.computeIfAbsent(List.of(rule.action(), rule.target(), context.params()),
              key -> pin(rule, context.params()));
          first = pin.applyTo(context).map(guards::prepare).orElse(first);
        }
        prepared.add(first);
      }
      return new Plan(stored, ruleSet, prepared, null);
    } catch (RuntimeException | StackOverflowError e) {
      // A hostile label can drive a regex or template this deep; it fails its own alert only.
      return new Plan(stored, ruleSet, List.of(), e);
    }
  }

  /** Phase 2 for one alert, without a savepoint: a failure of its own throws {@link AlertFailed}. */
  private Throwable recordOrThrow(Connection connection, Plan plan, Map<Ledger.Budget, BatchLedger> ledgers,
                                  Instant now, List<AuditEvent> events, List<Runnable> afterCommit)
      throws SQLException {
    try {
      decideOne(connection, plan, ledgers, now, events, afterCommit);
      return null;
    } catch (SQLException | RuntimeException e) {
      if (isStoreFailure(e)) {
        throw e;
      }
      throw new AlertFailed(e);
    }
  }

  /**
   * Phase 2 for one alert, under its own savepoint: adds its audit events and after-commit work
   * and returns null. When deciding it throws for a reason of its own, everything it wrote is
   * rolled back and the failure returned; a store that fails as a whole fails the batch.
   */
  private Throwable recordUnderSavepoint(Connection connection, Plan plan, Map<Ledger.Budget, BatchLedger> ledgers,
                                         Instant now, List<AuditEvent> events, List<Runnable> afterCommit)
      throws SQLException {
    Savepoint savepoint = connection.setSavepoint();
    List<AuditEvent> mine = new ArrayList<>();
    List<Runnable> mineAfter = new ArrayList<>();
    try {
      decideOne(connection, plan, ledgers, now, mine, mineAfter);
      connection.releaseSavepoint(savepoint);
      events.addAll(mine);
      afterCommit.addAll(mineAfter);
      return null;
    } catch (SQLException | RuntimeException e) {
      if (isStoreFailure(e)) {
        throw e;
      }
      connection.rollback(savepoint);
      ledgers.values().forEach(BatchLedger::forget);
      return e;
    }
  }

  private void decideOne(Connection connection, Plan plan, Map<Ledger.Budget, BatchLedger> ledgers, Instant now,
                         List<AuditEvent> events, List<Runnable> afterCommit) throws SQLException {
    if (plan.alert().alert().status() == AlertStatus.RESOLVED) {
      cancel(connection, plan.alert(), now, events, ACTOR);
    } else {
      decide(connection, plan, ledgers, now, events, afterCommit);
    }
  }

  private void decide(Connection connection, Plan plan, Map<Ledger.Budget, BatchLedger> ledgers, Instant now,
                      List<AuditEvent> events, List<Runnable> afterCommit) throws SQLException {
    StoredAlert stored = plan.alert();
    if (plan.refusal() != null && !plan.refusal().rules().isEmpty()) {
      for (Rule rule : plan.refusal().rules()) {
        refuse(connection, stored, rule, plan.refusal().reason(), now, events, afterCommit, Generation.FIRST);
      }
      return;
    }
    if (plan.prepared().isEmpty()) {
      events.add(unmatched(plan, now, ACTOR));
      return;
    }
    for (GuardChain.Prepared prepared : plan.prepared()) {
      decide(connection, plan, prepared, ledgers, now, events, afterCommit, Generation.FIRST);
    }
  }

  /**
   * The remediation {@code decision} comes to for {@code context}: its state, reason and budget,
   * and, when it awaits approval, when that expires (the rule's {@code approval_ttl} from now).
   */
  static NewRemediation remediation(DecisionContext context, GuardChain.Decision decision) {
    Rule rule = context.rule();
    RemediationState state = stateFor(decision.outcome());
    Instant expiresAt = state == RemediationState.AWAITING_APPROVAL
        ? context.now().plus(rule.safeguards().approvalTtl()) : null;
    return new NewRemediation(rule.name(), context.alert(), rule.action(), rule.target(), context.groupKey(), state,
        decision.outcome().reason(), context.rendered() ? context.params() : Map.of(), decision.counts(),
        context.now(), decision.budget(), expiresAt);
  }

  /**
   * Audits the decision just written as remediation {@code id}: every guard's verdict, then the
   * outcome with {@code about} (what else the audit should say of it), as {@code actor}. Asks for the approval it
   * awaits, and pauses remediator when the global {@code max_actions}, counted in {@code ledger},
   * is what skipped it. Shared by first decisions and by decisions taken again ({@link Rechecker}).
   */
  void recorded(Connection connection, RuleSet ruleSet, Rule rule, long id, NewRemediation remediation,
                GuardChain.Decision decision, Ledger ledger, String actor, Map<String, Object> about, Instant now,
                List<AuditEvent> events, List<Runnable> afterCommit) throws SQLException {
    StoredAlert stored = remediation.alert();
    RemediationState state = remediation.state();
    for (GuardChain.Decision.Step step : decision.steps()) {
      events.add(AuditEvent.forRule(now, Kind.GUARD, actor, stored, rule, step.verdict().wireName(),
          Map.of("guard", step.guard(), "reason", step.verdict().reason())).withRemediation(id));
    }
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("state", state.wireName());
    detail.put("reason", decision.outcome().reason());
    detail.put("params", remediation.params());
    detail.put("group", remediation.groupKey());
    if (decision.decidedBy() != null) {
      detail.put("guard", decision.decidedBy());
    }
    detail.putAll(about);
    if (remediation.expiresAt() != null) {
      detail.put("expiresAt", remediation.expiresAt().toString());
      requestApproval(connection, ruleSet, id, remediation, remediation.expiresAt(), now);
    }
    events.add(AuditEvent.forRule(now, Kind.DECIDED, actor, stored, rule, state.wireName(), detail)
        .withRemediation(id));
    // The rate_limit guard skipped: when the global limit is what is used up, pause and escalate.
    if (RATE_LIMIT.equals(decision.decidedBy())) {
      Optional<String> reached = BlastRadius.reached(ruleSet, ledger, now);
      if (reached.isPresent()) {
        blastRadius.trip(connection, ruleSet, rule, stored, id, reached.get(), now, events)
            .ifPresent(pause -> afterCommit.add(() -> blastRadius.committed(pause)));
      }
    }
    afterCommit.add(() -> metrics.decision(rule.name(), state.wireName()));
    if (state == RemediationState.SKIPPED) {
      afterCommit.add(() -> logSkip(stored, rule, id, decision));
    }
  }

  static AuditEvent unmatched(Plan plan, Instant now, String actor) {
    return AuditEvent.forAlert(now, Kind.UNMATCHED, actor, plan.alert(), "no_rule",
        Map.of("rules", plan.ruleSet().rules().size(), "source", plan.ruleSet().source()));
  }

  /**
   * Phase 2 for one (rule, alert): asks the counting guards and writes the remediation, as
   * {@code generation} of the occurrence, with its audit events; empty when the key was taken.
   */
  Optional<Recorded> decide(Connection connection, Plan plan, GuardChain.Prepared prepared,
                            Map<Ledger.Budget, BatchLedger> ledgers, Instant now, List<AuditEvent> events,
                            List<Runnable> afterCommit, Generation generation) throws SQLException {
    StoredAlert stored = plan.alert();
    DecisionContext context = prepared.context();
    Rule rule = context.rule();
    String actor = generation.actor();
    events.add(AuditEvent.forRule(now, Kind.MATCHED, actor, stored, rule, "matched",
        Map.of("matchers", rule.matchers().stream().map(Object::toString).toList())));
    GuardChain.Decision decision = guards.decide(prepared, ledgers.get(prepared.budget()));
    NewRemediation remediation = remediation(context, decision);
    OptionalLong id = generation.insert(remediations, connection, remediation);
    if (id.isPresent() && decision.counts()) {
      // A live decision counts in both budgets; a dry-run one only in its own.
      String service = stored.alert().labels().get(Ledger.SERVICE);
      ledgers.get(Ledger.Budget.DRY_RUN).acted(rule.name(), context.groupKey(), service, now);
      if (decision.budget() == Ledger.Budget.LIVE) {
        ledgers.get(Ledger.Budget.LIVE).acted(rule.name(), context.groupKey(), service, now);
      }
    }
    if (id.isEmpty()) {
      events.add(AuditEvent.forRule(now, Kind.DUPLICATE, actor, stored, rule, "already_decided",
          Map.of("reason", "a remediation for this rule and alert occurrence already exists")));
      return Optional.empty();
    }
    Map<String, Object> about = new LinkedHashMap<>();
    generation.describe(about);
    recorded(connection, plan.ruleSet(), rule, id.getAsLong(), remediation, decision, ledgers.get(decision.budget()),
        actor, about, now, events, afterCommit);
    return Optional.of(new Recorded(id.getAsLong(), remediation.state(), decision.outcome().reason(),
        decision.decidedBy(), decision.steps(), remediation.params()));
  }

  /** Asks {@code escalate_to}, if the rules name one, to approve or reject the remediation {@code id}. */
  private void requestApproval(Connection connection, RuleSet ruleSet, long id, NewRemediation remediation,
                               Instant expiresAt, Instant now) throws SQLException {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("params", remediation.params());
    detail.put("expiresAt", expiresAt.toString());
    Optional<FollowUp> request = Escalations.followUp(ruleSet, new Escalations.Subject(id, remediation.rule(),
        remediation.action(), remediation.target(), remediation.alert().alert().fingerprint(),
        remediation.alert().alert().alertname(), 0, Escalations.Reason.APPROVAL_REQUESTED,
        "awaits approval until " + expiresAt, detail), now);
    if (request.isPresent()) {
      outbox.add(connection, request.get(), now);
    }
  }

  /**
   * Records an occurrence refused before the guards, for one matching rule: a skipped remediation
   * (so the same occurrence is never decided again) with the reason, audited like any other
   * decision; empty when the key was taken.
   */
  Optional<Recorded> refuse(Connection connection, StoredAlert stored, Rule rule, String reason, Instant now,
                                    List<AuditEvent> events, List<Runnable> afterCommit, Generation generation)
      throws SQLException {
    String actor = generation.actor();
    events.add(AuditEvent.forRule(now, Kind.MATCHED, actor, stored, rule, "matched",
        Map.of("matchers", rule.matchers().stream().map(Object::toString).toList())));
    OptionalLong id = generation.insert(remediations, connection, new NewRemediation(rule.name(), stored,
        rule.action(), rule.target(), GroupKey.of(rule, stored.alert()), RemediationState.SKIPPED, reason, Map.of(),
        false, now));
    if (id.isEmpty()) {
      events.add(AuditEvent.forRule(now, Kind.DUPLICATE, actor, stored, rule, "already_decided",
          Map.of("reason", "a remediation for this rule and alert occurrence already exists")));
      return Optional.empty();
    }
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("state", RemediationState.SKIPPED.wireName());
    detail.put("reason", reason);
    detail.put("check", "occurrence");
    generation.describe(detail);
    events.add(AuditEvent.forRule(now, Kind.DECIDED, actor, stored, rule, RemediationState.SKIPPED.wireName(), detail)
        .withRemediation(id.getAsLong()));
    afterCommit.add(() -> metrics.decision(rule.name(), RemediationState.SKIPPED.wireName()));
    afterCommit.add(() -> log.atInfo().addKeyValue("remediation", id.getAsLong()).addKeyValue("rule", rule.name())
        .addKeyValue("fingerprint", stored.alert().fingerprint()).addKeyValue("reason", reason)
        .log("rule {} skipped alert {}: {}", rule.name(), stored.alert().alertname(), reason));
    return Optional.of(new Recorded(id.getAsLong(), RemediationState.SKIPPED, reason, null, List.of(), Map.of()));
  }

  /** Asks the rule's action to pin the state it will act from, for these rendered params. */
  private DecisionContext.Pin pin(Rule rule, Map<String, Object> params) {
    try {
      return new DecisionContext.Pin(pins.pin(rule.action(), rule.target(), params), null);
    } catch (Pinning.PinException e) {
      return new DecisionContext.Pin(Optional.empty(), "could not pin the state to act from: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while pinning " + rule.action() + " on " + rule.target(), e);
    }
  }

  List<RemediationRef> cancel(Connection connection, StoredAlert stored, Instant now, List<AuditEvent> events,
                                      String actor) throws SQLException {
    String reason = "alert resolved before the action started";
    List<RemediationRef> cancelled = remediations.cancelUnstarted(connection, stored.alert().fingerprint(),
        stored.alert().startsAt(), now, reason);
    for (RemediationRef c : cancelled) {
      events.add(AuditEvent.forRemediation(now, Kind.CANCELLED, actor, stored, c,
          RemediationState.CANCELLED.wireName(), Map.of("reason", reason)));
    }
    return cancelled;
  }

  /** Marks an alert whose deciding threw as decided with its error, and audits it, so it is never retried forever. */
  private void fail(Connection connection, StoredAlert stored, Throwable error, Instant now, List<AuditEvent> events,
                    List<Runnable> afterCommit) throws SQLException {
    String message = describe(error);
    inbox.markFailed(connection, stored, now, message);
    events.add(AuditEvent.forAlert(now, Kind.DECIDE_FAILED, ACTOR, stored, "failed", Map.of("error", message)));
    afterCommit.add(() -> log.atWarn().addKeyValue("alert", stored.id())
        .addKeyValue("fingerprint", stored.alert().fingerprint()).addKeyValue("alertname", stored.alert().alertname())
        .addKeyValue("error", message).setCause(error)
        .log("deciding alert {} failed; it is marked failed and will not be retried: {}", stored.id(), message));
  }

  private static void logSkip(StoredAlert stored, Rule rule, long remediation, GuardChain.Decision decision) {
    log.atInfo().addKeyValue("remediation", remediation).addKeyValue("rule", rule.name())
        .addKeyValue("fingerprint", stored.alert().fingerprint()).addKeyValue("alertname", stored.alert().alertname())
        .addKeyValue("guard", decision.decidedBy()).addKeyValue("reason", decision.outcome().reason())
        .addKeyValue("dryRun", decision.budget() == Ledger.Budget.DRY_RUN)
        .log("rule {} skipped alert {}: {} says {}", rule.name(), stored.alert().alertname(), decision.decidedBy(),
            decision.outcome().reason());
  }

  /** The error as one line for the audit log and the alert row: its type and the message's first line, no stack trace. */
  static String describe(Throwable error) {
    String message = error.getMessage() == null ? "" : error.getMessage().strip().lines().findFirst().orElse("");
    String type = error.getClass().getSimpleName();
    return message.isEmpty() ? type : type + ": " + message;
  }

  /**
   * True when the store failed as a whole (unreachable, or a transaction the database gave up on),
   * which retrying the batch later can mend; anything else is about the one alert.
   */
  private static boolean isStoreFailure(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof StoreUnavailableException) {
        return true;
      }
      if (cause instanceof SQLException sql) {
        String state = sql.getSQLState();
        return Database.isConnectionFailure(sql) || (state != null && state.startsWith("40"));
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  static RemediationState stateFor(Verdict outcome) {
    if (outcome instanceof Verdict.Pass) {
      return RemediationState.PENDING;
    }
    if (outcome instanceof Verdict.Skip) {
      return RemediationState.SKIPPED;
    }
    if (outcome instanceof Verdict.DryRun) {
      return RemediationState.DRY_RUN;
    }
    if (outcome instanceof Verdict.AwaitApproval) {
      return RemediationState.AWAITING_APPROVAL;
    }
    throw new IllegalStateException("no remediation state for verdict " + outcome);
  }

  /**
   * One alert after phase 1: the prepared decision of each matching rule (none for a resolved or
   * unmatched alert), or why preparing it failed.
   */
  record Plan(StoredAlert alert, RuleSet ruleSet, List<GuardChain.Prepared> prepared,
                      Throwable failure, Refusal refusal) {
    Plan(StoredAlert alert, RuleSet ruleSet, List<GuardChain.Prepared> prepared, Throwable failure) {
      this(alert, ruleSet, prepared, failure, null);
    }
  }

  /** An occurrence refused before the guards: the rules it matched, and why. */
  record Refusal(List<Rule> rules, String reason) {}

  /**
   * Which decision of an occurrence is written, and by whom: the first (generation 0, as the
   * occurrence arrived or as an operator first replays it), or a forced replay's next generation,
   * which names the remediation it decides again and the operator's reason.
   */
  record Generation(String actor, int number, Long replayOf, String reason) {
    static final Generation FIRST = new Generation(ACTOR, 0, null, null);

    OptionalLong insert(RemediationStore remediations, Connection connection, NewRemediation remediation)
        throws SQLException {
      return number == 0 ? remediations.insert(connection, remediation)
          : remediations.insertReplay(connection, remediation, number, replayOf);
    }

    /** Adds what a forced replay is to an audited decision's detail. */
    void describe(Map<String, Object> detail) {
      if (replayOf != null) {
        detail.put("replayOf", replayOf);
        detail.put("replayGeneration", number);
        detail.put("replayReason", reason);
      }
    }
  }

  /** A decision written: its remediation, state, reason, deciding guard, every guard's verdict and the params. */
  record Recorded(long id, RemediationState state, String reason, String guard, List<GuardChain.Decision.Step> steps,
                  Map<String, Object> params) {}
}
