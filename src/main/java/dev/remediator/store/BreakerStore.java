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
 * The breakers table and the counts breakers are decided on. {@link #lock} takes the row of one
 * breaker for the rest of the transaction (creating it closed), so two replicas recording
 * outcomes of the same (action, target) decide one after the other on the same counts. Every
 * method runs in the caller's transaction.
 */
public final class BreakerStore {
  private static final String COLUMNS = """
      action, target, rule_name, group_key, state, opened_at, open_until, trial_remediation_id, counted_from,
      changed_at""";
  private static final String KEY = "action = ? and target = ? and rule_name = ? and group_key = ?";
  private static final String INSERT_CLOSED = "insert into breaker (" + COLUMNS + ")"
      + " values (?, ?, ?, ?, 'closed', null, null, null, ?, ?) on conflict do nothing";
  private static final String SELECT = "select " + COLUMNS + " from breaker where " + KEY;
  private static final String SELECT_ALL = "select " + COLUMNS + " from breaker order by action, target, rule_name,"
      + " group_key";
  private static final String SELECT_ACTION_TARGET = "select " + COLUMNS + " from breaker where action = ? and"
      + " target = ? order by rule_name, group_key";
  private static final String UPDATE = """
      update breaker set state = ?, opened_at = ?, open_until = ?, trial_remediation_id = ?, counted_from = ?,
      changed_at = ? where\s""" + KEY;
  private static final String CALLS = """
      select count(*), coalesce(sum(case when state = 'failed' or verification = 'not_verified' then 1 else 0 end), 0)
      from remediation where action = ? and target = ? and finished_at >= ? and state in ('succeeded', 'failed')""";
  private static final String SUCCESSES = """
      select count(*) from remediation where rule_name = ? and group_key = ? and action = ? and target = ?
      and finished_at >= ? and id <> ? and state = 'succeeded'
      and (verification is null or verification <> 'not_verified')""";
  private static final String GROUP_OF = "select group_key from remediation where id = ?";
  private static final String IN_PROGRESS = "select count(*) from remediation where id = ? and state in ('pending',"
      + " 'running', 'rechecking')";

  /** The breaker's row as committed, without locking it; empty when it has never been written. */
  public Optional<BreakerRow> find(Connection connection, BreakerKey key) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement select = connection.prepareStatement(SELECT)) {
      bindKey(select, 1, key);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(row(rows, dialect)) : Optional.empty();
      }
    }
  }

  /** The breaker's row, created closed when new, locked until the transaction ends. */
  public BreakerRow lock(Connection connection, BreakerKey key, Instant now) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement insert = connection.prepareStatement(INSERT_CLOSED)) {
      bindKey(insert, 1, key);
      dialect.setInstant(insert, 5, Instant.EPOCH);
      dialect.setInstant(insert, 6, now);
      insert.executeUpdate();
    }
    try (PreparedStatement select = connection.prepareStatement(SELECT + dialect.lockForUpdate())) {
      bindKey(select, 1, key);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return row(rows, dialect);
      }
    }
  }

  /** Writes {@code row} over the breaker's stored one, which the caller has locked. */
  public void save(Connection connection, BreakerRow row) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
      update.setString(1, row.state().wireName());
      dialect.setInstant(update, 2, row.openedAt());
      dialect.setInstant(update, 3, row.openUntil());
      update.setObject(4, row.trialRemediationId());
      dialect.setInstant(update, 5, row.countedFrom());
      dialect.setInstant(update, 6, row.changedAt());
      bindKey(update, 7, row.key());
      update.executeUpdate();
    }
  }

  /** Every breaker ever written, by action, target, rule and group. */
  public List<BreakerRow> all(Connection connection) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    List<BreakerRow> all = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(SELECT_ALL); ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        all.add(row(rows, dialect));
      }
    }
    return all;
  }

  /** The breakers of {@code action} on {@code target}, its alert groups' included, locked for the transaction. */
  public List<BreakerRow> lockAll(Connection connection, String action, String target) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    List<BreakerRow> all = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(SELECT_ACTION_TARGET + dialect.lockForUpdate())) {
      select.setString(1, action);
      select.setString(2, target);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          all.add(row(rows, dialect));
        }
      }
    }
    return all;
  }

  /** The finished calls of {@code action} on {@code target} since {@code since}. */
  public BreakerCalls calls(Connection connection, String action, String target, Instant since) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement select = connection.prepareStatement(CALLS)) {
      select.setString(1, action);
      select.setString(2, target);
      dialect.setInstant(select, 3, since);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return new BreakerCalls(rows.getInt(1), rows.getInt(2));
      }
    }
  }

  /**
   * Remediations that succeeded (and were not found ineffective afterwards) since {@code since}
   * under the alert group breaker {@code key}, other than {@code except}.
   */
  public int successes(Connection connection, BreakerKey key, Instant since, long except) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement select = connection.prepareStatement(SUCCESSES)) {
      select.setString(1, key.rule());
      select.setString(2, key.group());
      select.setString(3, key.action());
      select.setString(4, key.target());
      dialect.setInstant(select, 5, since);
      select.setLong(6, except);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  /** The alert group of the remediation {@code id}; empty when there is no such remediation. */
  public Optional<String> groupOf(Connection connection, long id) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(GROUP_OF)) {
      select.setLong(1, id);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    }
  }

  /** Whether the remediation {@code id} is still waiting to run (or to be decided again) or running. */
  public boolean inProgress(Connection connection, long id) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(IN_PROGRESS)) {
      select.setLong(1, id);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getInt(1) > 0;
      }
    }
  }

  private static void bindKey(PreparedStatement statement, int first, BreakerKey key) throws SQLException {
    statement.setString(first, key.action());
    statement.setString(first + 1, key.target());
    statement.setString(first + 2, key.rule());
    statement.setString(first + 3, key.group());
  }

  private static BreakerRow row(ResultSet rows, Dialect dialect) throws SQLException {
    long trial = rows.getLong("trial_remediation_id");
    Long trialId = rows.wasNull() ? null : trial;
    return new BreakerRow(new BreakerKey(rows.getString("action"), rows.getString("target"),
        rows.getString("rule_name"), rows.getString("group_key")), BreakerState.fromWire(rows.getString("state")),
        dialect.instant(rows, "opened_at"), dialect.instant(rows, "open_until"), trialId,
        dialect.instant(rows, "counted_from"), dialect.instant(rows, "changed_at"));
  }
}
