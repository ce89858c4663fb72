package dev.remediator.engine;

import dev.remediator.action.ActionSpec;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditEvent.Kind;
import dev.remediator.audit.AuditLog;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.rules.ParamRenderer;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.TemplateException;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.Database;
import dev.remediator.store.NewRemediation;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationStore;
import dev.remediator.store.StoredAlert;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Decides stored alerts, off the request thread. For a firing alert, each matching rule gets one
 * remediation whose state the guard chain decides; for a resolved alert, whatever has not
 * started is cancelled. Each batch is one transaction under the decider lock, with its audit
 * events, so decisions are exactly once even with several replicas.
 */
public final class Decider {
  private static final String ACTOR = "remediator";

  private final AlertInbox inbox;
  private final RemediationStore remediations;
  private final AuditLog audit;
  private final GuardChain guards;
  private final Supplier<RuleSet> rules;
  private final Map<String, ActionSpec> actionSpecs;
  private final ParamRenderer renderer;
  private final Clock clock;
  private final RemediatorMetrics metrics;

  public Decider(AlertInbox inbox, RemediationStore remediations, AuditLog audit, GuardChain guards,
                 Supplier<RuleSet> rules, Map<String, ActionSpec> actionSpecs, ParamRenderer renderer, Clock clock,
                 RemediatorMetrics metrics) {
    this.inbox = inbox;
    this.remediations = remediations;
    this.audit = audit;
    this.guards = guards;
    this.rules = rules;
    this.actionSpecs = Map.copyOf(actionSpecs);
    this.renderer = renderer;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Decides up to {@code limit} of the oldest undecided alerts; returns how many it decided. */
  public int decideBatch(Database database, int limit) {
    List<Runnable> afterCommit = new ArrayList<>();
    int decided = database.inTransaction(connection -> {
      inbox.lock(connection);
      List<StoredAlert> alerts = inbox.undecided(connection, limit);
      if (alerts.isEmpty()) {
        return 0;
      }
      Instant now = clock.instant();
      RuleSet ruleSet = rules.get();
      List<AuditEvent> events = new ArrayList<>();
      for (StoredAlert alert : alerts) {
        if (alert.alert().status() == AlertStatus.RESOLVED) {
          cancel(connection, alert, now, events);
        } else {
          decide(connection, ruleSet, alert, now, events, afterCommit);
        }
      }
      inbox.markDecided(connection, alerts, now);
      audit.append(connection, events);
      return alerts.size();
    });
    afterCommit.forEach(Runnable::run);
    return decided;
  }

  private void decide(Connection connection, RuleSet ruleSet, StoredAlert stored, Instant now,
                      List<AuditEvent> events, List<Runnable> afterCommit) throws SQLException {
    Alert alert = stored.alert();
    List<Rule> matching = ruleSet.matching(alert.labels());
    if (matching.isEmpty()) {
      events.add(event(now, Kind.UNMATCHED, stored, null, null, "no_rule",
          Map.of("rules", ruleSet.rules().size(), "source", ruleSet.source())));
      return;
    }
    for (Rule rule : matching) {
      events.add(event(now, Kind.MATCHED, stored, rule, null, "matched",
          Map.of("matchers", rule.matchers().stream().map(Object::toString).toList())));
      DecisionContext context = context(connection, ruleSet, rule, stored, now);
      GuardChain.Decision decision = guards.decide(context);
      RemediationState state = stateFor(decision.outcome());
      NewRemediation remediation = new NewRemediation(rule.name(), stored, rule.action(), rule.target(),
          context.groupKey(), state, decision.outcome().reason(), context.rendered() ? context.params() : Map.of(),
          counts(state), now);
      OptionalLong id = remediations.insert(connection, remediation);
      if (id.isEmpty()) {
        events.add(event(now, Kind.DUPLICATE, stored, rule, null, "already_decided",
            Map.of("reason", "a remediation for this rule and alert occurrence already exists")));
        continue;
      }
      for (GuardChain.Decision.Step step : decision.steps()) {
        events.add(event(now, Kind.GUARD, stored, rule, id.getAsLong(), step.verdict().outcome().wireName(),
            Map.of("guard", step.guard(), "reason", step.verdict().reason())));
      }
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("state", state.wireName());
      detail.put("reason", decision.outcome().reason());
      detail.put("params", remediation.params());
      detail.put("group", context.groupKey());
      events.add(event(now, Kind.DECIDED, stored, rule, id.getAsLong(), state.wireName(), detail));
      afterCommit.add(() -> metrics.decision(rule.name(), state.wireName()));
    }
  }

  private DecisionContext context(Connection connection, RuleSet ruleSet, Rule rule, StoredAlert stored, Instant now) {
    ActionSpec spec = actionSpecs.get(rule.action());
    boolean strict = spec == null || spec.strictTemplates();
    String groupKey = GroupKey.of(rule, stored.alert());
    try {
      Map<String, Object> params = renderer.render(rule, stored.alert(), strict);
      return new DecisionContext(connection, ruleSet, rule, stored, groupKey, now, params, null);
    } catch (TemplateException e) {
      return new DecisionContext(connection, ruleSet, rule, stored, groupKey, now, Map.of(), e.getMessage());
    }
  }

  private void cancel(Connection connection, StoredAlert stored, Instant now, List<AuditEvent> events) throws SQLException {
    String reason = "alert resolved before the action started";
    for (RemediationStore.Cancelled c : remediations.cancelUnstarted(connection, stored.alert().fingerprint(),
        stored.alert().startsAt(), now, reason)) {
      events.add(new AuditEvent(now, Kind.CANCELLED, ACTOR, stored.notificationId(), stored.id(), c.id(),
          stored.alert().fingerprint(), stored.alert().alertname(), c.rule(), c.action(), c.target(),
          RemediationState.CANCELLED.wireName(), Map.of("reason", reason)));
    }
  }

  private static RemediationState stateFor(Verdict verdict) {
    return switch (verdict.outcome()) {
      case PASS -> RemediationState.PENDING;
      case SKIP -> RemediationState.SKIPPED;
      case DRY_RUN -> RemediationState.DRY_RUN;
      case AWAIT_APPROVAL -> RemediationState.AWAITING_APPROVAL;
    };
  }

  /** Decisions that will or may act use up cooldown and rate-limit budget. */
  private static boolean counts(RemediationState state) {
    return state == RemediationState.PENDING || state == RemediationState.AWAITING_APPROVAL;
  }

  private static AuditEvent event(Instant now, Kind kind, StoredAlert stored, Rule rule, Long remediationId,
                                  String outcome, Map<String, Object> detail) {
    return new AuditEvent(now, kind, ACTOR, stored.notificationId(), stored.id(), remediationId,
        stored.alert().fingerprint(), stored.alert().alertname(), rule == null ? null : rule.name(),
        rule == null ? null : rule.action(), rule == null ? null : rule.target(), outcome, detail);
  }
}
