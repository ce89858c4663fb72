package dev.remediator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.store.Database;
import dev.remediator.testing.Rows;
import dev.remediator.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On PostgreSQL all events of a call go in as one statement of arrays; every field and the order survive. */
class AuditLogPostgresTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123456Z");

  @RegisterExtension
  static final TestDatabase postgres = new TestDatabase();

  private Database database;

  @BeforeEach
  void open() {
    database = postgres.openStore();
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void eventsAreStoredInTheirOrderWithEveryFieldAndNulls() {
    List<AuditEvent> events = new ArrayList<>();
    int count = 3 * AuditLog.ROWS_PER_STATEMENT + 5;
    for (int i = 0; i < count; i++) {
      events.add(new AuditEvent(T0.plusSeconds(i), AuditEvent.Kind.GUARD, "remediator", 1L, (long) i,
          i % 2 == 0 ? null : 7L, "fp" + i, "HighErrorRate", i % 3 == 0 ? null : "restart-api", "command", "deployer",
          "pass", Map.of("n", i, "quote", "it's \"quoted\", {braced} and \\ back")));
    }

    database.inTransaction(c -> {
      new AuditLog().append(c, events);
      new AuditLog().append(c, List.of());
      return null;
    });

    List<String> rows = Rows.of(database, "select extract(epoch from occurred_at) * 1000000, kind, actor, notification_id,"
        + " alert_id, remediation_id, fingerprint, alertname, rule_name, action, target, outcome, detail"
        + " from audit_event order by id");
    assertThat(rows).hasSize(count);
    long micros = T0.getEpochSecond() * 1_000_000 + T0.getNano() / 1000;
    assertThat(rows.get(0)).isEqualTo(micros + ".000000 | guard | remediator | 1 | 0 | null | fp0 | HighErrorRate"
        + " | null | command | deployer | pass | {\"n\":0,\"quote\":\"it's \\\"quoted\\\", {braced} and \\\\ back\"}");
    assertThat(rows.get(1)).contains(" | 1 | 1 | 7 | fp1 | HighErrorRate | restart-api | ");
    assertThat(Rows.of(database, "select alert_id from audit_event order by id"))
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, count).mapToObj(String::valueOf).toList());
  }
}
