package dev.remediator.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An audit event as a reader gets it back: its id (the cursor of pagination) and every stored
 * field. {@code kind} stays the stored wire name, so rows written by any version read back.
 */
public record AuditEntry(long id, Instant at, String kind, String actor, Long notificationId, Long alertId,
                         Long remediationId, String fingerprint, String alertname, String rule, String action,
                         String target, String outcome, Map<String, Object> detail) {
  /** The field names, in the order of {@link #fields()}: the JSON keys, NDJSON keys and CSV header. */
  public static final String[] NAMES = {"id", "at", "kind", "actor", "notificationId", "alertId", "remediationId",
      "fingerprint", "alertname", "rule", "action", "target", "outcome", "detail"};

  /**
   * The one outward form of an entry, shared by the JSON answer and both exports: {@code at} as
   * an ISO-8601 UTC instant, absent references as nulls.
   */
  public Map<String, Object> fields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    Object[] values = {id, at.toString(), kind, actor, notificationId, alertId, remediationId, fingerprint,
        alertname, rule, action, target, outcome, detail};
    for (int i = 0; i < NAMES.length; i++) {
      fields.put(NAMES[i], values[i]);
    }
    return fields;
  }
}
