package dev.remediator.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One step in the life of a notification, alert or remediation, and who caused it. Optional
 * references are null when they do not apply; {@code detail} carries the step's own facts
 * (a guard's verdict and reason, an action's inputs, output and error).
 */
public record AuditEvent(Instant at, Kind kind, String actor, Long notificationId, Long alertId,
                         Long remediationId, String fingerprint, String alertname, String rule,
                         String action, String target, String outcome, Map<String, Object> detail) {
  /** What happened. The wire name is the lower-case name. */
  public enum Kind {
    RECEIVED, DUPLICATE, UNMATCHED, MATCHED, GUARD, DECIDED, CANCELLED, STARTED, SUCCEEDED, FAILED,
    RETRY_SCHEDULED, INTERRUPTED, RULES_RELOADED, RULES_REJECTED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public AuditEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(actor, "actor");
    detail = detail == null ? Map.of() : Map.copyOf(detail);
  }

  /** An event about the system itself (rules reloaded, work interrupted at startup). */
  public static AuditEvent system(Instant at, Kind kind, String actor, String outcome, Map<String, Object> detail) {
    return new AuditEvent(at, kind, actor, null, null, null, null, null, null, null, null, outcome, detail);
  }
}
