package dev.remediator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The pause table: the one row of the kill switch, shared by every replica. Ending a pause
 * deletes the row and returns what it held, so of two replicas that end the same pause (an
 * operator's resume, or its end time passing) exactly one gets it back and audits it. Every
 * method runs in the caller's transaction.
 */
public final class PauseStore {
  private static final String NAME = "remediator";
  private static final String COLUMNS = "reason, actor, paused_at, ends_at";
  private static final String CURRENT = "select " + COLUMNS + " from pause where name = ?";
  private static final String UPSERT = """
      insert into pause (name, reason, actor, paused_at, ends_at) values (?, ?, ?, ?, ?)
      on conflict (name) do update set reason = excluded.reason, actor = excluded.actor,
                                       paused_at = excluded.paused_at, ends_at = excluded.ends_at""";
  private static final String INSERT_UNLESS_PAUSED = """
      insert into pause (name, reason, actor, paused_at, ends_at) values (?, ?, ?, ?, ?)
      on conflict (name) do nothing""";
  private static final String END = "delete from pause where name = ? returning " + COLUMNS;
  private static final String END_PASSED = "delete from pause where name = ? and ends_at <= ? returning " + COLUMNS;

  /** The pause row, if any, whether or not its end has passed. */
  public Optional<Pause> current(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(CURRENT)) {
      select.setString(1, NAME);
      return read(connection, select);
    }
  }

  /** Pauses, replacing any pause in force (a new reason, actor or end). */
  public void pause(Connection connection, Pause pause) throws SQLException {
    write(connection, UPSERT, pause);
  }

  /** Pauses unless a pause row exists already; true when this call paused. */
  public boolean pauseUnlessPaused(Connection connection, Pause pause) throws SQLException {
    return write(connection, INSERT_UNLESS_PAUSED, pause) == 1;
  }

  /** Ends the pause, whatever its end time; returns it, or empty when there was none. */
  public Optional<Pause> end(Connection connection) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(END)) {
      delete.setString(1, NAME);
      return read(connection, delete);
    }
  }

  /** Ends the pause if its end time is at or before {@code now}; returns it, or empty. */
  public Optional<Pause> endIfPassed(Connection connection, Instant now) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(END_PASSED)) {
      delete.setString(1, NAME);
      Dialect.of(connection).setInstant(delete, 2, now);
      return read(connection, delete);
    }
  }

  private static int write(Connection connection, String sql, Pause pause) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, NAME);
      insert.setString(2, pause.reason());
      insert.setString(3, pause.actor());
      dialect.setInstant(insert, 4, pause.since());
      dialect.setInstant(insert, 5, pause.endsAt().orElse(null));
      return insert.executeUpdate();
    }
  }

  private static Optional<Pause> read(Connection connection, PreparedStatement statement) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (ResultSet row = statement.executeQuery()) {
      if (!row.next()) {
        return Optional.empty();
      }
      return Optional.of(new Pause(row.getString("reason"), row.getString("actor"),
          dialect.instant(row, "paused_at"), Optional.ofNullable(dialect.instant(row, "ends_at"))));
    }
  }
}
