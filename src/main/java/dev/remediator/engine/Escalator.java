package dev.remediator.engine;

import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.action.TargetClients;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditEvent.Kind;
import dev.remediator.audit.AuditLog;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.store.Database;
import dev.remediator.store.FollowUp;
import dev.remediator.store.OutboxStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the escalations in the outbox: claims due ones with a lease (so no two replicas send
 * one at the same time), posts each through the {@code notify} action on its escalation target,
 * and in one transaction marks it done and audits it. A retryable failure leaves it to be
 * claimed again after a backoff, up to {@link #MAX_ATTEMPTS} attempts, even one whose message
 * may have been delivered (unlike a remediation, a page is better sent twice than never); a
 * permanent one, or the last attempt, marks it done and audits the failure. An escalation never
 * escalates itself.
 *
 * <p>So that one flapping alert does not page a human every few minutes, at most one escalation
 * is sent per rule and alert group in {@link #RATE_LIMIT}; the rest are marked done and audited
 * as suppressed. Approval requests are exempt (each asks about a different remediation, and a
 * suppressed one would leave it to expire) and do not count against the limit.
 */
public final class Escalator {
  static final String ACTION = "notify";
  /** Escalations claimed per step; the lease covers sending them all, one call timeout each. */
  static final int BATCH = 5;
  static final Duration LEASE = Duration.ofMinutes(2);
  static final Duration FIRST_RETRY = Duration.ofSeconds(30);
  static final Duration MAX_RETRY = Duration.ofMinutes(15);
  /** Attempts (claims) before an escalation that keeps failing is given up: about four hours of backoff. */
  static final int MAX_ATTEMPTS = 20;
  /** At most one escalation is sent per rule and alert group in this window. */
  static final Duration RATE_LIMIT = Duration.ofMinutes(15);
  private static final Set<String> UNLIMITED = Set.of(Escalations.Reason.APPROVAL_REQUESTED.wireName());
  private static final Logger log = LoggerFactory.getLogger(Escalator.class);

  private final Database database;
  private final OutboxStore outbox;
  private final AuditLog audit;
  private final TargetClients actions;
  private final Clock clock;
  private final RemediatorMetrics metrics;
  private final String workerId;
  private final EscalationMessage messages;
  private final DueFollowUps due;

  /** {@code externalUrl}, when present, is where humans reach this server; messages link there. */
  public Escalator(Database database, OutboxStore outbox, AuditLog audit, TargetClients actions, Clock clock,
                   RemediatorMetrics metrics, String workerId, Optional<String> externalUrl) {
    this.database = database;
    this.outbox = outbox;
    this.audit = audit;
    this.actions = actions;
    this.clock = clock;
    this.metrics = metrics;
    this.workerId = workerId;
    this.messages = new EscalationMessage(externalUrl);
    this.due = new DueFollowUps(database, outbox, FollowUp.Kind.ESCALATE, workerId, LEASE, BATCH);
  }

  /** Claims the due escalations, sends each and records how it went; returns how many it claimed. */
  public int escalateDue() throws InterruptedException {
    return due.drain(clock.instant(), this::escalate);
  }

  private void escalate(FollowUp followUp) throws InterruptedException {
    String escalateTo = text(followUp, "escalateTo");
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("escalateTo", escalateTo);
    detail.put("reason", text(followUp, "reason"));
    detail.put("attempt", followUp.attempts());
    detail.put("link", messages.link(followUp));
    if (suppressed(followUp, detail)) {
      return;
    }
    ActionResult result = actions.execute(ACTION, escalateTo, target -> new ActionRequest(followUp.remediationId(),
        text(followUp, "rule"), target, Map.of("text", messages.text(followUp)), alert(followUp)));
    Instant at = clock.instant();
    if (result instanceof ActionResult.Succeeded) {
      detail.put("response", result.message());
      record(followUp, at, Kind.ESCALATED, "escalated", detail, true);
      metrics.escalation("escalated");
      log.atInfo().addKeyValue("remediation", followUp.remediationId()).addKeyValue("escalateTo", escalateTo)
          .log("escalated {} of rule {} to {}", text(followUp, "reason"), text(followUp, "rule"), escalateTo);
    } else if (result instanceof ActionResult.Retryable && followUp.attempts() >= MAX_ATTEMPTS) {
      String error = "gave up after " + followUp.attempts() + " attempts: " + result.message();
      detail.put("error", EscalationMessage.cut(error));
      record(followUp, at, Kind.ESCALATION_FAILED, "gave_up", detail, false);
      metrics.escalation("failed");
      log.atWarn().addKeyValue("remediation", followUp.remediationId()).addKeyValue("escalateTo", escalateTo)
          .addKeyValue("rule", text(followUp, "rule")).addKeyValue("attempt", followUp.attempts())
          .log("escalation to {} failed for good: {}", escalateTo, error);
    } else if (result instanceof ActionResult.Retryable) {
      Instant retryAt = at.plus(backoff(followUp.attempts()));
      boolean held = database.inTransaction(connection -> outbox.retryAfter(connection, followUp.id(), workerId,
          retryAt));
      metrics.escalation("retry_scheduled");
      log.atWarn().addKeyValue("remediation", followUp.remediationId()).addKeyValue("escalateTo", escalateTo)
          .addKeyValue("attempt", followUp.attempts()).addKeyValue("retryAt", retryAt).addKeyValue("held", held)
          .log("escalation to {} failed, retrying at {}: {}", escalateTo, retryAt, result.message());
    } else {
      detail.put("error", EscalationMessage.cut(result.message()));
      record(followUp, at, Kind.ESCALATION_FAILED, "failed", detail, false);
      metrics.escalation("failed");
      log.atWarn().addKeyValue("remediation", followUp.remediationId()).addKeyValue("escalateTo", escalateTo)
          .addKeyValue("rule", text(followUp, "rule")).addKeyValue("error", result.message())
          .log("escalation to {} failed for good: {}", escalateTo, result.message());
    }
  }

  /**
   * True, having marked it done and audited it as suppressed, when an escalation for the same
   * rule and alert group was sent within {@link #RATE_LIMIT}.
   */
  private boolean suppressed(FollowUp followUp, Map<String, Object> detail) {
    if (UNLIMITED.contains(text(followUp, "reason"))) {
      return false;
    }
    Instant now = clock.instant();
    Optional<Instant> lastSent = database.inTransaction(connection -> outbox.lastSentForSameGroup(connection,
        followUp.remediationId(), now.minus(RATE_LIMIT), UNLIMITED));
    if (lastSent.isEmpty()) {
      return false;
    }
    Map<String, Object> written = new LinkedHashMap<>(detail);
    written.put("lastSentAt", lastSent.get().toString());
    written.put("window", RATE_LIMIT.toString());
    record(followUp, now, Kind.ESCALATION_SUPPRESSED, "suppressed", written, false);
    metrics.escalation("suppressed");
    log.atInfo().addKeyValue("remediation", followUp.remediationId()).addKeyValue("rule", text(followUp, "rule"))
        .addKeyValue("lastSentAt", lastSent.get())
        .log("escalation of rule {} suppressed: one for the same alert group was sent at {}", text(followUp, "rule"),
            lastSent.get());
    return true;
  }

  /**
   * Marks the follow-up done ({@code sent}: and sent) and audits it in one transaction; a lost
   * lease is audited too, since it was sent.
   */
  private void record(FollowUp followUp, Instant at, Kind kind, String outcome, Map<String, Object> detail,
                      boolean sent) {
    database.inTransaction(connection -> {
      Map<String, Object> written = detail;
      boolean held = sent ? outbox.sent(connection, followUp.id(), workerId, at)
          : outbox.done(connection, followUp.id(), workerId, at);
      if (!held) {
        written = new LinkedHashMap<>(detail);
        written.put("claimLost", "its lease ran out before this outcome was recorded; it may be sent again");
        log.atWarn().addKeyValue("remediation", followUp.remediationId())
            .log("escalation {} arrived after its lease ran out; audited, left for the next claim", outcome);
      }
      audit.append(connection, List.of(AuditEvent.forFollowUp(at, kind, workerId, followUp, outcome, written)));
      return null;
    });
  }

  /** The wait before attempt {@code attempts + 1}: doubling from {@link #FIRST_RETRY} up to {@link #MAX_RETRY}. */
  static Duration backoff(int attempts) {
    int doublings = Math.max(0, Math.min(attempts - 1, 10));
    Duration wait = FIRST_RETRY.multipliedBy(1L << doublings);
    return wait.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait;
  }

  /** The alert as far as the escalation knows it: its name and fingerprint, at the time of the failure. */
  private static Alert alert(FollowUp followUp) {
    String alertname = text(followUp, "alertname");
    Labels labels = alertname.isEmpty() ? Labels.EMPTY : Labels.of("alertname", alertname);
    return new Alert(AlertStatus.FIRING, labels, Labels.EMPTY, followUp.dueAt(), Optional.empty(), "",
        text(followUp, "fingerprint"));
  }

  private static String text(FollowUp followUp, String key) {
    Object value = followUp.payload().get(key);
    return value == null ? "" : value.toString();
  }
}
