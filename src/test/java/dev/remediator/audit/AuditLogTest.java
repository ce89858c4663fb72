package dev.remediator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.store.Database;
import dev.remediator.testing.FreshStore;
import dev.remediator.testing.Rows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuditLogTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  @RegisterExtension
  final FreshStore store = FreshStore.inMemory();
  private Database database;

  @BeforeEach
  void open() {
    database = store.database();
  }

  @Test
  void eventsAcrossFullAndPartialStatementsAreStoredInOrderWithEveryField() {
    List<AuditEvent> events = new ArrayList<>();
    int count = 2 * AuditLog.ROWS_PER_STATEMENT + 3;
    for (int i = 0; i < count; i++) {
      events.add(new AuditEvent(T0.plusSeconds(i), AuditEvent.Kind.GUARD, "remediator", 1L, (long) i, null,
          "fp" + i, "HighErrorRate", "restart-api", "command", "deployer", "pass", Map.of("n", i, "guard", "cooldown")));
    }

    database.inTransaction(c -> {
      new AuditLog().append(c, events);
      return null;
    });

    List<String> rows = Rows.of(database, "select occurred_at, kind, actor, notification_id, alert_id, remediation_id, "
        + "fingerprint, alertname, rule_name, action, target, outcome, detail from audit_event order by id");
    assertThat(rows).hasSize(count);
    assertThat(rows.get(0)).isEqualTo("2026-11-22T10:00:00.000000Z | guard | remediator | 1 | 0 | null | fp0 | HighErrorRate "
        + "| restart-api | command | deployer | pass | {\"guard\":\"cooldown\",\"n\":0}");
    assertThat(rows.get(count - 1)).startsWith("2026-11-22T10:02:10.000000Z | guard | remediator | 1 | 130 | null | fp130 |");
    assertThat(Rows.of(database, "select count(distinct alert_id) from audit_event")).containsExactly(
        String.valueOf(count));
  }
}
