package dev.remediator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The alerts stored by intake but not yet decided. A decider takes the decider lock, reads the
 * oldest undecided alerts, decides them and marks them decided, all in one transaction, so a
 * crash at any point leaves them undecided rather than lost.
 */
public final class AlertInbox {
  private static final String LOCK = "select name from decider_lock where name = 'decider' for update";
  private static final String UNDECIDED =
      "select " + AlertRows.COLUMNS + " from alert a where a.decided_at is null order by a.id limit ?";
  private static final String MARK_DECIDED = "update alert set decided_at = ? where id = ?";
  private static final String COUNT_UNDECIDED = "select count(*) from alert where decided_at is null";

  /** Serialises deciders across replicas until the transaction ends. */
  public void lock(Connection connection) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(LOCK); ResultSet ignored = lock.executeQuery()) {
      if (!ignored.next()) {
        throw new SQLException("decider_lock row is missing; the schema migration did not complete");
      }
    }
  }

  public List<StoredAlert> undecided(Connection connection, int limit) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(UNDECIDED)) {
      select.setInt(1, limit);
      try (ResultSet rows = select.executeQuery()) {
        List<StoredAlert> alerts = new ArrayList<>();
        while (rows.next()) {
          alerts.add(AlertRows.read(rows));
        }
        return alerts;
      }
    }
  }

  public void markDecided(Connection connection, List<StoredAlert> alerts, Instant at) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(MARK_DECIDED)) {
      for (StoredAlert alert : alerts) {
        update.setObject(1, NotificationStore.utc(at));
        update.setLong(2, alert.id());
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  public long countUndecided(Connection connection) throws SQLException {
    try (PreparedStatement count = connection.prepareStatement(COUNT_UNDECIDED); ResultSet rows = count.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
