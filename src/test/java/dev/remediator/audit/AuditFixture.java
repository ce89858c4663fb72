package dev.remediator.audit;

import dev.remediator.store.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A small audit log with every filterable field varied, and the expected answer to a filter
 * computed from the events themselves, so a test states which events a query must return.
 */
public final class AuditFixture {
  public static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private AuditFixture() {}

  /** Eight events one minute apart, oldest first; ids follow this order. */
  public static List<AuditEvent> events() {
    return List.of(
        new AuditEvent(T0, AuditEvent.Kind.RECEIVED, "alertmanager@10.0.0.1", 1L, null, null, "fp-api",
            "HighErrorRate", null, null, null, "stored", Map.of("receiver", "remediator")),
        new AuditEvent(T0.plusSeconds(60), AuditEvent.Kind.GUARD, "remediator", 1L, 1L, null, "fp-api",
            "HighErrorRate", "restart-api", "restart", "cluster", "pass",
            Map.of("guard", "cooldown", "reason", "no earlier remediation")),
        new AuditEvent(T0.plusSeconds(120), AuditEvent.Kind.DECIDED, "remediator", 1L, 1L, 1L, "fp-api",
            "HighErrorRate", "restart-api", "restart", "cluster", "run", Map.of()),
        new AuditEvent(T0.plusSeconds(180), AuditEvent.Kind.RECEIVED, "alertmanager@10.0.0.2", 2L, null, null,
            "fp-disk", "DiskFull", null, null, null, "stored", Map.of("receiver", "remediator")),
        new AuditEvent(T0.plusSeconds(240), AuditEvent.Kind.SUCCEEDED, "worker-1", 2L, 2L, 2L, "fp-disk", "DiskFull",
            "clean-disk", "command", "host", "succeeded", Map.of("output", "Freed 12 GB, 100% done_now")),
        new AuditEvent(T0.plusSeconds(300), AuditEvent.Kind.RULES_RELOADED, "operator@127.0.0.1", null, null, null,
            null, null, null, null, null, "loaded", Map.of("rules", 3)),
        new AuditEvent(T0.plusSeconds(360), AuditEvent.Kind.FAILED, "worker-1", 1L, 1L, 1L, "fp-api",
            "HighErrorRate", "restart-api", "restart", "cluster", "failed",
            Map.of("error", "Deployment api not FOUND", "label", "=HYPERLINK(\"http://evil\")")),
        new AuditEvent(T0.plusSeconds(420), AuditEvent.Kind.GUARD, "remediator", 3L, 3L, null, "fp-api2",
            "HighErrorRate", "restart-api", "restart", "cluster", "skip",
            Map.of("guard", "cooldown", "reason", "a remediation ran 6m ago, \"cooldown\" is 15m")));
  }

  /** Appends {@link #events()} and returns them. */
  public static List<AuditEvent> append(Database database) {
    List<AuditEvent> events = events();
    database.inTransaction(connection -> {
      new AuditLog().append(connection, events);
      return null;
    });
    return events;
  }

  /** {@code count} more events after the fixture, each its own GUARD event numbered from {@code from}. */
  public static List<AuditEvent> more(int from, int count) {
    List<AuditEvent> events = new ArrayList<>(count);
    for (int i = from; i < from + count; i++) {
      events.add(new AuditEvent(T0.plusSeconds(3600 + i), AuditEvent.Kind.GUARD, "remediator", null, null, null,
          "fp-" + i, "Load", "rule-" + (i % 3), "notify", "oncall", i % 2 == 0 ? "pass" : "skip", Map.of("n", i)));
    }
    return events;
  }

  /** How each equality filter reads an event. */
  public static Function<AuditEvent, String> reader(AuditField field) {
    switch (field) {
      case ALERTNAME: return AuditEvent::alertname;
      case FINGERPRINT: return AuditEvent::fingerprint;
      case RULE: return AuditEvent::rule;
      case ACTION: return AuditEvent::action;
      case TARGET: return AuditEvent::target;
      case OUTCOME: return AuditEvent::outcome;
      case KIND: return event -> event.kind().wireName();
      case ACTOR: return AuditEvent::actor;
      default: throw new IllegalArgumentException(field.name());
    }
  }
}
