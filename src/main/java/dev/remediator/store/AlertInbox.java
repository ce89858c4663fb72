package dev.remediator.store;

import dev.remediator.alert.AlertStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alerts stored by intake but not yet decided. A decider reads the oldest undecided alerts,
 * prepares its decisions, then takes the decider lock, keeps those still undecided, decides them
 * and marks them decided, all in one transaction, so a crash at any point leaves them undecided
 * rather than lost, and no two replicas decide the same alert. The alerts a replay stores are
 * held for that replay to decide ({@code held_until}); the decider takes them only once the hold
 * has ended.
 */
public final class AlertInbox {
  private static final String LOCK = "select name from decider_lock where name = 'decider'";
  private static final String UNDECIDED =
      "select " + AlertRows.COLUMNS + " from alert a where a.decided_at is null order by a.id limit ?";
  private static final String UNDECIDED_UNHELD = "select " + AlertRows.COLUMNS + " from alert a"
      + " where a.decided_at is null and (a.held_until is null or a.held_until <= ?) order by a.id limit ?";
  private static final String MARK_DECIDED = "update alert set decided_at = ? where id = ?";
  private static final String MARK_FAILED = "update alert set decided_at = ?, decide_error = ? where id = ?";
  private static final String COUNT_UNDECIDED = "select count(*) from alert where decided_at is null";
  /**
   * The first row stored before a firing alert for the same occurrence: its resolved row, or
   * the same firing alert with a start in the same millisecond (Alertmanager's API gives
   * milliseconds, its webhook nanoseconds), resolved rows first.
   */
  private static final String EARLIER = """
      select id, status from alert
      where fingerprint = ? and id < ? and starts_at >= ? and starts_at < ?
        and (status = 'resolved' or (status = 'firing' and starts_at <> ?))
      order by case when status = 'resolved' then 0 else 1 end, id
      limit 1""";

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

  /** The oldest undecided alerts, those a replay holds included. */
  public List<StoredAlert> undecided(Connection connection, int limit) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(UNDECIDED)) {
      select.setInt(1, limit);
      return read(select);
    }
  }

  /**
   * The oldest undecided alerts the decider may take at {@code now}: not those a replay holds to
   * decide itself, until its hold ends (the replay failed before deciding them).
   */
  public List<StoredAlert> undecided(Connection connection, int limit, Instant now) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(UNDECIDED_UNHELD)) {
      Dialect.of(connection).setInstant(select, 1, now);
      select.setInt(2, limit);
      return read(select);
    }
  }

  private static List<StoredAlert> read(PreparedStatement select) throws SQLException {
    Dialect dialect = Dialect.of(select.getConnection());
    try (ResultSet rows = select.executeQuery()) {
      List<StoredAlert> alerts = new ArrayList<>();
      while (rows.next()) {
        alerts.add(AlertRows.read(dialect, rows));
      }
      return alerts;
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

  /** A row stored before an alert for the same occurrence: its id and status. */
  public record EarlierRow(long id, AlertStatus status) {}

  /**
   * For each firing alert of {@code alerts} that the store already held under an earlier row
   * (see {@link #EARLIER}), that row, by the firing alert's id.
   */
  public Map<Long, EarlierRow> earlierRows(Connection connection, List<StoredAlert> alerts) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    Map<Long, EarlierRow> found = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement(EARLIER)) {
      for (StoredAlert stored : alerts) {
        if (stored.alert().status() != AlertStatus.FIRING) {
          continue;
        }
        Instant millisecond = stored.alert().startsAt().truncatedTo(ChronoUnit.MILLIS);
        select.setString(1, stored.alert().fingerprint());
        select.setLong(2, stored.id());
        dialect.setInstant(select, 3, millisecond);
        dialect.setInstant(select, 4, millisecond.plusMillis(1));
        dialect.setInstant(select, 5, stored.alert().startsAt());
        try (ResultSet row = select.executeQuery()) {
          if (row.next()) {
            String status = row.getString("status");
            found.put(stored.id(), new EarlierRow(row.getLong("id"), AlertStatus.fromWire(status)
                .orElseThrow(() -> new SQLException("stored alert has unknown status " + status))));
          }
        }
      }
    }
    return found;
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
