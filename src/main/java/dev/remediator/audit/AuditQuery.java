package dev.remediator.audit;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Which audit events a reader wants, newest first: equality filters, a time window
 * ({@code since} inclusive, {@code until} exclusive), a case-insensitive substring {@code text}
 * searched in the summary fields and the detail, the cursor {@code before} (the last id a reader
 * has seen, so that rows inserted meanwhile neither repeat nor shift a page) and how many rows at
 * most. Empty parts do not filter.
 */
public record AuditQuery(Map<AuditField, String> equal, Instant since, Instant until, String text,
                         OptionalLong before, OptionalInt limit) {
  /** Every event, newest first. */
  public static final AuditQuery ALL = new AuditQuery(Map.of(), null, null, null, OptionalLong.empty(),
      OptionalInt.empty());

  public AuditQuery {
    equal = equal.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(equal));
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(limit, "limit");
  }

  public AuditQuery where(AuditField field, String value) {
    Map<AuditField, String> more = new EnumMap<>(AuditField.class);
    more.putAll(equal);
    more.put(field, value);
    return new AuditQuery(more, since, until, text, before, limit);
  }

  public AuditQuery between(Instant from, Instant to) {
    return new AuditQuery(equal, from, to, text, before, limit);
  }

  public AuditQuery containing(String searched) {
    return new AuditQuery(equal, since, until, searched, before, limit);
  }

  public AuditQuery before(long id) {
    return new AuditQuery(equal, since, until, text, OptionalLong.of(id), limit);
  }

  public AuditQuery limit(int rows) {
    return new AuditQuery(equal, since, until, text, before, OptionalInt.of(rows));
  }
}
