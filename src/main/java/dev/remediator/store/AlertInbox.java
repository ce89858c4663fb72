package dev.remediator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The alerts stored by intake but not yet decided. A decider reads the oldest undecided alerts,
 * prepares its decisions, then takes the decider lock, keeps those still undecided, decides them
 * and marks them decided, all in one transaction, so a crash at any point leaves them undecided
 * rather than lost, and no two replicas decide the same alert.
 */
public final class AlertInbox {
  private static final String LOCK = "select name from decider_lock where name = 'decider'";
  private static final String UNDECIDED =
      "select " + AlertRows.COLUMNS + " from alert a where a.decided_at is null order by a.id limit ?";
  private static final String MARK_DECIDED = "update alert set decided_at = ? where id = ?";
  private static final String MARK_FAILED = "update alert set decided_at = ?, decide_error = ? where id = ?";
  private static final String COUNT_UNDECIDED = "select count(*) from alert where decided_at is null";

  /**
   * Serialises deciders across replicas until the transaction ends. The embedded store needs no
   * lock: its process runs one transaction at a time; the select still checks the row is there.
   */
  public void lock(Connection connection) throws SQLException {
    String sql = LOCK + Dialect.of(connection).lockForUpdate();
    try (PreparedStatement lock = connection.prepareStatement(sql); ResultSet ignored = lock.executeQuery()) {
      if (!ignored.next()) {
        throw new SQLException("decider_lock row is missing; the schema migration did not complete");
      }
    }
  }

  public List<StoredAlert> undecided(Connection connection, int limit) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement select = connection.prepareStatement(UNDECIDED)) {
      select.setInt(1, limit);
      try (ResultSet rows = select.executeQuery()) {
        List<StoredAlert> alerts = new ArrayList<>();
        while (rows.next()) {
          alerts.add(AlertRows.read(dialect, rows));
        }
        return alerts;
      }
    }
  }

  /**
   * Those of {@code alerts} that are still undecided, in their order. Read under the decider lock,
   * it drops what another replica decided since {@code alerts} were read.
   */
  public List<StoredAlert> stillUndecided(Connection connection, List<StoredAlert> alerts) throws SQLException {
    if (alerts.isEmpty()) {
      return List.of();
    }
    String sql = "select id from alert where decided_at is null and id in ("
        + String.join(", ", Collections.nCopies(alerts.size(), "?")) + ")";
    Set<Long> undecided = new HashSet<>();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < alerts.size(); i++) {
        select.setLong(i + 1, alerts.get(i).id());
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          undecided.add(rows.getLong(1));
        }
      }
    }
    return alerts.stream().filter(alert -> undecided.contains(alert.id())).toList();
  }

  /** Marks an alert whose deciding failed as decided, with the error, so it is not retried forever. */
  public void markFailed(Connection connection, StoredAlert alert, Instant at, String error) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(MARK_FAILED)) {
      Dialect.of(connection).setInstant(update, 1, at);
      update.setString(2, error);
      update.setLong(3, alert.id());
      update.executeUpdate();
    }
  }

  public void markDecided(Connection connection, List<StoredAlert> alerts, Instant at) throws SQLException {
    if (alerts.isEmpty()) {
      return;
    }
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement update = connection.prepareStatement(MARK_DECIDED)) {
      for (StoredAlert alert : alerts) {
        dialect.setInstant(update, 1, at);
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
