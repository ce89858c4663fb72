package dev.remediator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.store.Database;
import dev.remediator.store.Dialect;
import dev.remediator.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every filter of the audit reader has an index PostgreSQL can use for exactly the SQL the reader
 * sends: with sequential and plain index scans switched off, the plan must name the filter's own
 * index. This catches a filter without an index, and a search expression that drifted from the
 * one the trigram index covers, without timing anything. (How fast pages are with a million
 * events is measured by {@code AuditQueryBench}.)
 */
class AuditQueryPlanTest {
  @RegisterExtension
  static final TestDatabase postgres = new TestDatabase();

  private static Database database;

  @BeforeAll
  static void fill() {
    database = postgres.openStore();
    database.inTransaction(c -> {
      new AuditLog().append(c, AuditFixture.events());
      new AuditLog().append(c, AuditFixture.more(0, 500));
      try (Statement statement = c.createStatement()) {
        statement.execute("analyze audit_event");
      }
      return null;
    });
  }

  @AfterAll
  static void close() {
    database.close();
  }

  private static String plan(AuditQuery query) {
    Instant cursorAt = query.before().isPresent() ? Instant.parse("2026-11-22T11:00:00Z") : null;
    AuditReader.Select select = AuditReader.select(Dialect.POSTGRES, query, cursorAt, 101);
    return database.inTransaction(c -> {
      try (Statement settings = c.createStatement()) {
        settings.execute("set local enable_seqscan = off");
        settings.execute("set local enable_indexscan = off");
      }
      return explain(c, select);
    });
  }

  private static String explain(Connection connection, AuditReader.Select select) throws SQLException {
    try (PreparedStatement explain = connection.prepareStatement("explain " + select.sql())) {
      select.bind(explain, Dialect.POSTGRES);
      List<String> lines = new ArrayList<>();
      try (ResultSet rows = explain.executeQuery()) {
        while (rows.next()) {
          lines.add(rows.getString(1));
        }
      }
      return String.join("\n", lines);
    }
  }

  @Test
  void eachEqualityFilterUsesItsOwnIndex() {
    Map<AuditField, String> indexes = Map.of(AuditField.ALERTNAME, "audit_event_alertname",
        AuditField.FINGERPRINT, "audit_event_fingerprint", AuditField.RULE, "audit_event_rule",
        AuditField.ACTION, "audit_event_action", AuditField.TARGET, "audit_event_target",
        AuditField.OUTCOME, "audit_event_outcome", AuditField.KIND, "audit_event_kind",
        AuditField.ACTOR, "audit_event_actor");
    for (AuditField field : AuditField.values()) {
      assertThat(plan(AuditQuery.ALL.where(field, "x").before(1_000))).as(field.parameter())
          .contains("Bitmap Index Scan on " + indexes.get(field));
    }
  }

  @Test
  void theTimeWindowAndTheCursorBoundTheIndexRange() {
    assertThat(plan(AuditQuery.ALL.between(Instant.parse("2026-11-22T10:00:00Z"), null)))
        .contains("Bitmap Index Scan on audit_event_occurred_at");
    String window = plan(AuditQuery.ALL.where(AuditField.ACTION, "restart")
        .between(Instant.parse("2026-11-22T10:00:00Z"), Instant.parse("2026-11-22T10:05:00Z")).before(3));
    // The window and the cursor bound the index range itself, not a filter over the rows read.
    assertThat(window).as(window)
        .containsPattern("Index Cond: .*occurred_at >= .*occurred_at < .*ROW\\(occurred_at, id\\) < ROW\\(");
  }

  @Test
  void theTextSearchUsesTheTrigramIndex() {
    assertThat(plan(AuditQuery.ALL.containing("Not Found"))).contains("Bitmap Index Scan on audit_event_search");
    assertThat(plan(AuditQuery.ALL.containing("100%_done"))).contains("Bitmap Index Scan on audit_event_search");
  }
}
