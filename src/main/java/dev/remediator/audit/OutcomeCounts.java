package dev.remediator.audit;

import dev.remediator.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * How remediations came out since a moment, counted from the audit log: every decision by what
 * was decided (queued, skipped, dry_run, awaiting_approval) and every later outcome (succeeded,
 * failed, cancelled, rejected, ...). A remediation that was queued and then succeeded counts
 * once under each, which is what happened. Read-only, like every reader of the audit log.
 */
public final class OutcomeCounts {
  /** The kinds whose outcome says what became of a remediation. */
  static final String KINDS = "'decided', 'succeeded', 'failed', 'retry_scheduled', 'cancelled', 'interrupted', "
      + "'rejected', 'approval_expired'";
  private static final String COUNT = "select outcome, count(*) as n from audit_event where occurred_at >= ? "
      + "and kind in (" + KINDS + ") and outcome is not null group by outcome";

  /** The counts by outcome of the events at or after {@code since}, sorted by outcome. */
  public Map<String, Long> since(Connection connection, Instant since) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    Map<String, Long> counts = new TreeMap<>();
    try (PreparedStatement select = connection.prepareStatement(COUNT)) {
      dialect.setInstant(select, 1, since);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          counts.put(rows.getString("outcome"), rows.getLong("n"));
        }
      }
    }
    return counts;
  }
}
