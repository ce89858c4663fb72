package dev.remediator.store;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Work an outcome leaves for later, kept in the outbox: verify a remediation at {@code dueAt},
 * or escalate it. {@code id} is 0 until stored; {@code attempts} counts the claims so far, this
 * one included, when claimed.
 */
public record FollowUp(long id, long remediationId, Kind kind, Instant dueAt, Map<String, Object> payload,
                       int attempts) {
  /** What to do; the wire name is the lower-case name. */
  public enum Kind {
    VERIFY, ESCALATE;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind fromWire(String value) {
      return valueOf(value.toUpperCase(Locale.ROOT));
    }
  }

  public FollowUp {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(dueAt, "dueAt");
    payload = payload == null ? Map.of() : Map.copyOf(payload);
  }

  public FollowUp(long id, long remediationId, Kind kind, Instant dueAt, Map<String, Object> payload) {
    this(id, remediationId, kind, dueAt, payload, 0);
  }

  /** A follow-up not stored yet. */
  public static FollowUp of(long remediationId, Kind kind, Instant dueAt, Map<String, Object> payload) {
    return new FollowUp(0, remediationId, kind, dueAt, payload);
  }
}
