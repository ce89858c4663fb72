package dev.remediator.action.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements of {@code kill_idle_connections}, each one fixed text with every value bound:
 * finding the idle client backends a filter matches (never the session's own, nor the pool's
 * other connection, known by its application name), oldest idle first, and terminating one of
 * them only if it is still the same backend and still idle long enough.
 */
final class IdleBackends {
  /** The application name of this action's own connections, which it never terminates. */
  static final String OWN_APPLICATION_NAME = "remediator-kill-idle-connections";

  private static final String FIND = """
      SELECT pid, backend_start, usename, application_name, datname, count(*) OVER () AS matching
      FROM pg_stat_activity
      WHERE backend_type = 'client backend'
        AND pid <> pg_backend_pid()
        AND application_name <> ?
        AND (state = 'idle' OR (? AND state IN ('idle in transaction', 'idle in transaction (aborted)')))
        AND state_change <= statement_timestamp() - make_interval(secs => ?)
        AND (CAST(? AS text) IS NULL OR datname = ?)
        AND (CAST(? AS text) IS NULL OR usename = ?)
        AND (CAST(? AS text) IS NULL OR application_name = ?)
      ORDER BY state_change, pid
      LIMIT ?""";

  /**
   * The session's role, and how many backends the filters could match whose state it may not
   * see (other roles' backends, without pg_read_all_stats): those can never be found.
   */
  private static final String VISIBILITY = """
      SELECT current_user, count(*)
      FROM pg_stat_activity
      WHERE backend_type IS NULL
        AND usename IS NOT NULL
        AND datname IS NOT NULL
        AND (CAST(? AS text) IS NULL OR datname = ?)
        AND (CAST(? AS text) IS NULL OR usename = ?)
        AND (CAST(? AS text) IS NULL OR application_name = ?)""";

  private static final String TERMINATE = """
      SELECT pg_terminate_backend(pid)
      FROM pg_stat_activity
      WHERE pid = ?
        AND backend_start = ?
        AND backend_type = 'client backend'
        AND (state = 'idle' OR (? AND state IN ('idle in transaction', 'idle in transaction (aborted)')))
        AND state_change <= statement_timestamp() - make_interval(secs => ?)""";

  /** One client backend that matched. */
  record Backend(int pid, OffsetDateTime started, String user, String application, String database) {}

  /** The matching backends, oldest idle first, at most {@code filter.max()}, and how many matched in all. */
  record Found(List<Backend> backends, int matching) {}

  /** The role the session acts as, and how many backends that could match are hidden from it. */
  record Visibility(String role, int hidden) {}

  private IdleBackends() {}

  static Found find(Connection connection, IdleFilter filter) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(FIND)) {
      statement.setString(1, OWN_APPLICATION_NAME);
      int next = bindIdle(statement, 2, filter);
      next = bindFilters(statement, next, filter);
      statement.setInt(next, filter.max());
      List<Backend> backends = new ArrayList<>();
      int matching = 0;
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          backends.add(new Backend(rows.getInt("pid"), rows.getObject("backend_start", OffsetDateTime.class),
              rows.getString("usename"), rows.getString("application_name"), rows.getString("datname")));
          matching = rows.getInt("matching");
        }
      }
      return new Found(List.copyOf(backends), matching);
    }
  }

  static Visibility visibility(Connection connection, IdleFilter filter) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(VISIBILITY)) {
      bindFilters(statement, 1, filter);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return new Visibility(rows.getString(1), rows.getInt(2));
      }
    }
  }

  /**
   * Terminates {@code backend} if it is still the same process and still idle long enough;
   * false when it has gone or become busy since it was found.
   *
   * @throws SQLException with SQLSTATE 42501 when this role may not signal it
   */
  static boolean terminate(Connection connection, Backend backend, IdleFilter filter) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(TERMINATE)) {
      statement.setInt(1, backend.pid());
      statement.setObject(2, backend.started());
      bindIdle(statement, 3, filter);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() && rows.getBoolean(1);
      }
    }
  }

  private static int bindIdle(PreparedStatement statement, int first, IdleFilter filter) throws SQLException {
    statement.setBoolean(first, filter.includeIdleInTransaction());
    statement.setDouble(first + 1, filter.idleSeconds());
    return first + 2;
  }

  private static int bindFilters(PreparedStatement statement, int first, IdleFilter filter) throws SQLException {
    int next = first;
    for (String value : new String[] {filter.database(), filter.user(), filter.applicationName()}) {
      if (value == null) {
        statement.setNull(next++, Types.VARCHAR);
        statement.setNull(next++, Types.VARCHAR);
      } else {
        statement.setString(next++, value);
        statement.setString(next++, value);
      }
    }
    return next;
  }
}
