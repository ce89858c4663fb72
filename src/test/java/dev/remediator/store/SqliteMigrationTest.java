package dev.remediator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remediator.testing.Rows;
import java.nio.file.Path;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migrating an embedded store that already holds work keeps every row, id and reference. */
class SqliteMigrationTest {
  @TempDir
  Path dir;

  private Database database;

  @BeforeEach
  void open() {
    database = Database.open(Database.sqliteUrl(dir.resolve("remediator.db")), 4);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private void migrateTo(String version) {
    Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/migration/sqlite").target(version)
        .load().migrate();
  }

  private void execute(String... statements) {
    database.inTransaction(c -> {
      try (Statement sql = c.createStatement()) {
        for (String statement : statements) {
          sql.executeUpdate(statement);
        }
      }
      return null;
    });
  }

  private static String remediation(String rule, String state) {
    return "insert into remediation (rule_name, fingerprint, starts_at, alert_id, alertname, action, target, "
        + "group_key, state, reason, params, counts, decided_at, not_before, counts_dry_run) values ('" + rule
        + "', 'f1', '2026-11-22T10:00:00.000000Z', 1, 'Load', 'command', 'deployer', 'g', '" + state + "', 'test', "
        + "'{}', 1, '2026-11-22T10:00:01.000000Z', '2026-11-22T10:00:01.000000Z', 0)";
  }

  @Test
  void makingTheAlertReferenceOptionalKeepsRemediationsTheirIdsAndTheOutboxThatPointsAtThem() {
    migrateTo("3.1");
    execute("insert into notification (received_at, actor, receiver, group_key, status, truncated_alerts, "
            + "external_url, alert_count, payload) values ('2026-11-22T10:00:00.000000Z', 'am', 'r', 'g', 'firing', "
            + "0, '', 1, '{}')",
        "insert into alert (notification_id, fingerprint, status, starts_at, alertname, labels, annotations, "
            + "generator_url, received_at, decided_at) values (1, 'f1', 'firing', '2026-11-22T10:00:00.000000Z', "
            + "'Load', '{}', '{}', '', '2026-11-22T10:00:00.000000Z', '2026-11-22T10:00:01.000000Z')",
        remediation("r1", "succeeded"), remediation("r2", "pending"), remediation("r3", "pending"),
        "delete from remediation where rule_name = 'r3'",
        "insert into outbox (remediation_id, kind, due_at, payload, created_at) values (2, 'escalate', "
            + "'2026-11-22T10:01:00.000000Z', '{}', '2026-11-22T10:00:01.000000Z')");

    migrateTo("latest");

    assertThat(Rows.of(database, "select id, rule_name, state, alert_id, counts, counts_dry_run from remediation "
        + "order by id")).containsExactly("1 | r1 | succeeded | 1 | 1 | 0", "2 | r2 | pending | 1 | 1 | 0");
    assertThat(Rows.of(database, "select id, remediation_id, kind from outbox")).containsExactly("1 | 2 | escalate");
    execute("update remediation set alert_id = null where id = 1", remediation("r4", "pending"));
    assertThat(Rows.of(database, "select id from remediation where rule_name = 'r4'"))
        .as("an id is never handed out twice").containsExactly("4");
    assertThat(Rows.of(database, "pragma foreign_key_check")).isEmpty();
    assertThatThrownBy(() -> execute("insert into outbox (remediation_id, kind, due_at, payload, created_at) "
        + "values (99, 'verify', 't', '{}', 't')"))
        .as("the outbox still references remediations").hasMessageContaining("FOREIGN KEY constraint failed");
    assertThat(Rows.of(database, "select name from sqlite_master where type = 'index' and tbl_name = 'remediation' "
        + "and name not like 'sqlite_autoindex_%' order by name")).containsExactly(
        "remediation_alert", "remediation_calls", "remediation_cooldown", "remediation_cooldown_dry_run",
        "remediation_counted_all", "remediation_counted_all_dry_run", "remediation_counted_rule",
        "remediation_counted_rule_dry_run",
        "remediation_due", "remediation_expiry", "remediation_group_calls", "remediation_lease");
  }

  @Test
  void approvalsAwaitedBeforeExpiriesExistedExpireThirtyMinutesAfterTheirDecision() {
    migrateTo("5");
    execute("insert into notification (received_at, actor, receiver, group_key, status, truncated_alerts, "
            + "external_url, alert_count, payload) values ('2026-11-22T10:00:00.000000Z', 'am', 'r', 'g', 'firing', "
            + "0, '', 1, '{}')",
        "insert into alert (notification_id, fingerprint, status, starts_at, alertname, labels, annotations, "
            + "generator_url, received_at, decided_at) values (1, 'f1', 'firing', '2026-11-22T10:00:00.000000Z', "
            + "'Load', '{}', '{}', '', '2026-11-22T10:00:00.000000Z', '2026-11-22T10:00:01.000000Z')",
        remediation("r1", "awaiting_approval"), remediation("r2", "succeeded"));

    migrateTo("latest");

    assertThat(Rows.of(database, "select rule_name, expires_at from remediation order by id")).containsExactly(
        "r1 | 2026-11-22T10:30:01.000000Z", "r2 | null");
  }
}
