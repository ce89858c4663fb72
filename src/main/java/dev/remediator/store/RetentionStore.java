package dev.remediator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deletes stored notifications and alerts received before a cutoff, a small batch per call, under
 * a lock row that one replica holds at a time. Never touches the audit trail. Keeps alerts not yet
 * decided and alerts a remediation still needs (one not finished, or one decided after the
 * cutoff); finished remediations of a deleted alert stay, with their alert reference cleared.
 * Keeps notifications while any of their alerts is kept.
 */
public final class RetentionStore {
  // On PostgreSQL a replica that finds the row locked skips this round; the embedded store runs
  // one transaction at a time, so nothing else can hold it there.
  private static final String LOCK = "select name from maintenance_lock where name = 'retention'";
  private static final String OLD_ALERTS = """
      select a.id from alert a
      where a.received_at < ? and a.decided_at is not null
        and not exists (select 1 from remediation r where r.alert_id = a.id
                        and (r.state in ('pending', 'awaiting_approval', 'running', 'rechecking') or r.decided_at >= ?))
      order by a.id limit ?""";
  private static final String OLD_NOTIFICATIONS = """
      select n.id from notification n
      where n.received_at < ? and not exists (select 1 from alert a where a.notification_id = n.id)
      order by n.id limit ?""";

  /** What one batch deleted. */
  public record Deleted(int alerts, int notifications) {
    public int total() {
      return alerts + notifications;
    }
  }

  /**
   * Deletes up to {@code batch} alerts and then up to {@code batch} notifications older than
   * {@code cutoff}; empty when another replica holds the retention lock.
   */
  public Optional<Deleted> deleteBatch(Connection connection, Instant cutoff, int batch) throws SQLException {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, but was " + batch);
    }
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement lock = connection.prepareStatement(LOCK + dialect.lockForClaim());
         ResultSet held = lock.executeQuery()) {
      if (!held.next()) {
        return Optional.empty();
      }
    }
    List<Long> alerts = ids(connection, dialect, OLD_ALERTS, cutoff, cutoff, batch);
    run(connection, "update remediation set alert_id = null where alert_id = ?", alerts);
    run(connection, "delete from alert where id = ?", alerts);
    List<Long> notifications = ids(connection, dialect, OLD_NOTIFICATIONS, cutoff, batch);
    run(connection, "delete from notification where id = ?", notifications);
    return Optional.of(new Deleted(alerts.size(), notifications.size()));
  }

  private static List<Long> ids(Connection connection, Dialect dialect, String sql, Object... args)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof Instant instant) {
          dialect.setInstant(select, i + 1, instant);
        } else {
          select.setInt(i + 1, (Integer) args[i]);
        }
      }
      List<Long> ids = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getLong(1));
        }
      }
      return ids;
    }
  }

  private static void run(Connection connection, String sql, List<Long> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (long id : ids) {
        statement.setLong(1, id);
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }
}
