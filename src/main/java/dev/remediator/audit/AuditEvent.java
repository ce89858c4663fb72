package dev.remediator.audit;

import dev.remediator.alert.Alert;
import dev.remediator.json.Canonical;
import dev.remediator.rules.Rule;
import dev.remediator.store.FollowUp;
import dev.remediator.store.RemediationRef;
import dev.remediator.store.StoredAlert;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One step in the life of a notification, alert or remediation, and who caused it. Optional
 * references are null when they do not apply; {@code detail} carries the step's own facts
 * (a guard's verdict and reason, an action's inputs, output and error). Build events with the
 * factories, which fill the references from what the step is about.
 */
public record AuditEvent(Instant at, Kind kind, String actor, Long notificationId, Long alertId,
                         Long remediationId, String fingerprint, String alertname, String rule,
                         String action, String target, String outcome, Map<String, Object> detail) {
  /** What happened. The wire name is the lower-case name. */
  public enum Kind {
    RECEIVED, DUPLICATE, UNMATCHED, MATCHED, GUARD, DECIDED, DECIDE_FAILED, CANCELLED, STARTED, SUCCEEDED, FAILED,
    RETRY_SCHEDULED, INTERRUPTED, RULES_RELOADED, RULES_REJECTED, ESCALATED, ESCALATION_FAILED, APPROVED, REJECTED,
    PAUSED, RESUMED, BREAKER_OPENED, BREAKER_HALF_OPENED, BREAKER_CLOSED, BREAKER_RESET, RECHECK_UNAVAILABLE,
    SILENCED, UNSILENCED, SILENCE_FAILED, GROUP_FETCHED, GROUP_FETCH_FAILED,
    APPROVAL_EXPIRED, ESCALATION_SUPPRESSED, VERIFIED, NOT_VERIFIED, REQUEUED, REPLAYED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public AuditEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(actor, "actor");
    // The stores keep microseconds; truncating here makes an event read back equal to the one written.
    at = at.truncatedTo(ChronoUnit.MICROS);
    detail = detail == null ? Map.of() : Map.copyOf(detail);
  }

  /**
   * The one byte form of this event that the audit hash chain covers: a JSON object with every
   * field, nulls included, keys sorted, {@code at} as an ISO-8601 UTC instant, UTF-8. Pinned byte
   * for byte by a test, since changing it would break every chain already sealed.
   */
  public String canonical() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("action", action);
    fields.put("actor", actor);
    fields.put("alertId", alertId);
    fields.put("alertname", alertname);
    fields.put("at", at.toString());
    fields.put("detail", detail);
    fields.put("fingerprint", fingerprint);
    fields.put("kind", kind.wireName());
    fields.put("notificationId", notificationId);
    fields.put("outcome", outcome);
    fields.put("remediationId", remediationId);
    fields.put("rule", rule);
    fields.put("target", target);
    return Canonical.json(fields);
  }

  /** An event about the system itself (rules reloaded, work interrupted at startup). */
  public static AuditEvent system(Instant at, Kind kind, String actor, String outcome, Map<String, Object> detail) {
    return new AuditEvent(at, kind, actor, null, null, null, null, null, null, null, null, outcome, detail);
  }

  /** An alert as one notification brought it, before it has a row of its own (received, duplicate). */
  public static AuditEvent forNotification(Instant at, Kind kind, String actor, long notificationId, Alert alert,
                                           String outcome, Map<String, Object> detail) {
    return new AuditEvent(at, kind, actor, notificationId, null, null, alert.fingerprint(), alert.alertname(),
        null, null, null, outcome, detail);
  }

  /** A notification as a whole (its group's missing alerts fetched from Alertmanager). */
  public static AuditEvent forNotification(Instant at, Kind kind, String actor, long notificationId, String outcome,
                                           Map<String, Object> detail) {
    return new AuditEvent(at, kind, actor, notificationId, null, null, null, null, null, null, null, outcome, detail);
  }

  /** A stored alert occurrence, whatever rule (if any) it concerns (unmatched, decide failed). */
  public static AuditEvent forAlert(Instant at, Kind kind, String actor, StoredAlert alert, String outcome,
                                    Map<String, Object> detail) {
    return new AuditEvent(at, kind, actor, alert.notificationId(), alert.id(), null, alert.alert().fingerprint(),
        alert.alert().alertname(), null, null, null, outcome, detail);
  }

  /** One rule's decision about a stored alert (matched, guard, decided); see {@link #withRemediation}. */
  public static AuditEvent forRule(Instant at, Kind kind, String actor, StoredAlert alert, Rule rule, String outcome,
                                   Map<String, Object> detail) {
    return new AuditEvent(at, kind, actor, alert.notificationId(), alert.id(), null, alert.alert().fingerprint(),
        alert.alert().alertname(), rule.name(), rule.action(), rule.target(), outcome, detail);
  }

  /** A step of one remediation; {@code alert} is null when only the remediation is known (a lease sweep). */
  public static AuditEvent forRemediation(Instant at, Kind kind, String actor, StoredAlert alert,
                                          RemediationRef remediation, String outcome, Map<String, Object> detail) {
    return new AuditEvent(at, kind, actor, alert == null ? null : alert.notificationId(),
        alert == null ? null : alert.id(), remediation.id(), alert == null ? null : alert.alert().fingerprint(),
        alert == null ? null : alert.alert().alertname(), remediation.rule(), remediation.action(),
        remediation.target(), outcome, detail);
  }

  /**
   * A breaker of {@code action} on {@code target} changed without a remediation behind it (an
   * operator reset it); {@code rule} is null for the (action, target) breaker itself.
   */
  public static AuditEvent forBreaker(Instant at, Kind kind, String actor, String action, String target, String rule,
                                      String outcome, Map<String, Object> detail) {
    return new AuditEvent(at, kind, actor, null, null, null, null, null, rule, action, target, outcome, detail);
  }

  /** A follow-up of one remediation (escalated), from the facts its outbox payload carries. */
  public static AuditEvent forFollowUp(Instant at, Kind kind, String actor, FollowUp followUp, String outcome,
                                       Map<String, Object> detail) {
    Map<String, Object> payload = followUp.payload();
    return new AuditEvent(at, kind, actor, null, null, followUp.remediationId(), text(payload, "fingerprint"),
        text(payload, "alertname"), text(payload, "rule"), text(payload, "action"), text(payload, "target"), outcome,
        detail);
  }

  private static String text(Map<String, Object> payload, String key) {
    Object value = payload.get(key);
    return value == null ? null : value.toString();
  }

  /** This event, about the remediation {@code id}. */
  public AuditEvent withRemediation(long id) {
    return new AuditEvent(at, kind, actor, notificationId, alertId, id, fingerprint, alertname, rule, action, target,
        outcome, detail);
  }
}
