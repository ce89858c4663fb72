package dev.remediator.engine;

import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditEvent.Kind;
import dev.remediator.resilience.RetryPolicy;
import dev.remediator.rules.OnInterrupt;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.FollowUp;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.RemediationQueue;
import dev.remediator.store.RemediationState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What becomes of a remediation cut off by a dead process, decided in the sweep's transaction:
 * whether the action acted is unknown, so it is never simply run again. By default (the rule's
 * {@code on_interrupt: escalate}) a human is asked through the outbox. With {@code recheck} the
 * alert is checked again: resolved, it stays interrupted; still firing, it waits ({@code rechecking})
 * for the {@link Rechecker} to ask the guards again, as a new decision would, and runs again only
 * if they pass. It is escalated instead when it has used all its attempts, so an action that kills
 * its process cannot loop, or when the rules are now in dry run.
 */
final class Interruptions {
  static final String RESOLVED = "the alert resolved meanwhile: not run again";
  static final String REQUEUED = "the alert still fires and on_interrupt is recheck: the guards decide it again";

  private final RemediationQueue queue;
  private final OutboxStore outbox;
  private final String workerId;

  Interruptions(RemediationQueue queue, OutboxStore outbox, String workerId) {
    this.queue = queue;
    this.outbox = outbox;
    this.workerId = workerId;
  }

  /** Audits {@code expired} as interrupted for {@code reason}, then escalates or re-checks it; returns the events. */
  List<AuditEvent> handle(Connection connection, RuleSet rules, RemediationQueue.Expired expired, String reason,
                          Instant now) throws SQLException {
    OnInterrupt policy = Escalations.rule(rules, expired.remediation().rule())
        .map(Rule::safeguards).map(safeguards -> safeguards.onInterrupt()).orElse(OnInterrupt.ESCALATE);
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("reason", reason);
    detail.put("claimedBy", expired.claimedBy() == null ? "" : expired.claimedBy());
    detail.put("attempt", expired.attempts());
    detail.put("onInterrupt", policy.wireName());
    List<AuditEvent> events = new ArrayList<>();
    if (policy == OnInterrupt.RECHECK && queue.isResolved(connection, expired.fingerprint(), expired.startsAt())) {
      detail.put("recheck", RESOLVED);
      events.add(event(now, Kind.INTERRUPTED, expired, RemediationState.INTERRUPTED.wireName(), detail));
      return events;
    }
    if (policy == OnInterrupt.RECHECK && !rules.dryRun() && expired.attempts() < RetryPolicy.MAX_ATTEMPTS
        && queue.awaitRecheck(connection, expired.remediation().id())) {
      detail.put("recheck", REQUEUED);
      events.add(event(now, Kind.INTERRUPTED, expired, RemediationState.INTERRUPTED.wireName(), detail));
      Map<String, Object> decision = new LinkedHashMap<>();
      decision.put("why", REQUEUED);
      decision.put("attempt", expired.attempts());
      events.add(event(now, Kind.REQUEUED, expired, RemediationState.RECHECKING.wireName(), decision));
      return events;
    }
    if (policy == OnInterrupt.RECHECK) {
      detail.put("recheck", rules.dryRun() ? "still firing, but the rules are in dry run now: escalated instead"
          : "still firing after " + expired.attempts() + " attempts: escalated instead");
    }
    Optional<FollowUp> escalation = Escalations.followUp(rules, new Escalations.Subject(expired.remediation().id(),
        expired.remediation().rule(), expired.remediation().action(), expired.remediation().target(),
        expired.fingerprint(), expired.alertname(), expired.attempts(), Escalations.Reason.INTERRUPTED,
        "interrupted: " + reason, Map.of()), now);
    if (escalation.isPresent()) {
      outbox.add(connection, escalation.get(), now);
      detail.put("escalateTo", escalation.get().payload().get("escalateTo"));
    } else {
      detail.put("escalateTo", "");
      detail.put("escalation", "the rules name no escalate_to");
    }
    events.add(event(now, Kind.INTERRUPTED, expired, RemediationState.INTERRUPTED.wireName(), detail));
    return events;
  }

  private AuditEvent event(Instant now, Kind kind, RemediationQueue.Expired expired, String outcome,
                           Map<String, Object> detail) {
    return new AuditEvent(now, kind, workerId, null, expired.alertId(), expired.remediation().id(),
        expired.fingerprint(), expired.alertname(), expired.remediation().rule(), expired.remediation().action(),
        expired.remediation().target(), outcome, detail);
  }
}
