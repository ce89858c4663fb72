package dev.remediator.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The store: a HikariCP pool on PostgreSQL or on the embedded SQLite file, migrated by Flyway,
 * with one helper to run work in a transaction. Connection failures surface as
 * {@link StoreUnavailableException}.
 *
 * <p>The embedded store is built to survive {@code kill -9} and power loss at any moment: the
 * write-ahead log is synced before each commit returns ({@code journal_mode=WAL},
 * {@code synchronous=FULL}), and SQLite replays or discards the log's tail when the file is
 * opened again. The process holds the file locked ({@code locking_mode=EXCLUSIVE}), so a second
 * server on the same directory fails to start instead of sharing work it cannot see.
 */
public final class Database implements AutoCloseable {
  /** Where the embedded store lives when no database is configured, relative to the working directory. */
  public static final Path DEFAULT_FILE = Path.of("data", "remediator.db");
  /** The default store: the embedded SQLite file {@link #DEFAULT_FILE}. */
  public static final String DEFAULT_URL = sqliteUrl(DEFAULT_FILE);

  /** How long the embedded store waits for another process's lock on its file before failing. */
  private static final int SQLITE_BUSY_TIMEOUT_MILLIS = 5_000;
  /** SQLite result codes that mean the file cannot be used right now, as opposed to bad data. */
  private static final Set<SQLiteErrorCode> SQLITE_UNAVAILABLE = Set.of(SQLiteErrorCode.SQLITE_BUSY,
      SQLiteErrorCode.SQLITE_LOCKED, SQLiteErrorCode.SQLITE_IOERR, SQLiteErrorCode.SQLITE_FULL,
      SQLiteErrorCode.SQLITE_CANTOPEN, SQLiteErrorCode.SQLITE_NOMEM, SQLiteErrorCode.SQLITE_READONLY,
      SQLiteErrorCode.SQLITE_CORRUPT, SQLiteErrorCode.SQLITE_NOTADB);

  /** The URL of an embedded store in {@code file} (created with its directory on first use). */
  public static String sqliteUrl(Path file) {
    return "jdbc:sqlite:" + file;
  }

  private final HikariDataSource dataSource;
  private final Dialect dialect;
  private final String description;

  private Database(HikariDataSource dataSource, Dialect dialect, String description) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.description = description;
  }

  /**
   * Opens a pool on {@code jdbcUrl}; does not require the store to be up yet (readiness and the
   * webhook report it). {@code poolSize} bounds connections per replica on PostgreSQL; the
   * embedded store always has one connection, see {@link #configureSqlite}.
   */
  public static Database open(String jdbcUrl, int poolSize) {
    Dialect dialect = Dialect.of(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setPoolName("remediator-store");
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(2, poolSize));
    config.setConnectionTimeout(1_000);
    config.setValidationTimeout(500);
    config.setInitializationFailTimeout(-1);
    config.setAutoCommit(false);
    if (dialect == Dialect.POSTGRES) {
      if (!jdbcUrl.contains("user=")) {
        config.setUsername(System.getProperty("user.name"));
      }
      config.addDataSourceProperty("connectTimeout", "2");
      config.addDataSourceProperty("socketTimeout", "30");
      config.addDataSourceProperty("tcpKeepAlive", "true");
    } else {
      configureSqlite(config, jdbcUrl);
    }
    return new Database(new HikariDataSource(config), dialect, Dialect.redact(jdbcUrl));
  }

  /**
   * One connection, kept for the life of the pool: SQLite lets one transaction write at a time,
   * and a transaction that read before another committed cannot write at all, so several
   * connections would fail each other's work with SQLITE_BUSY. On one connection the process's
   * transactions queue in the pool instead (for at most the pool's connection timeout), and a
   * transaction is short: actions run outside them.
   */
  private static void configureSqlite(HikariConfig config, String jdbcUrl) {
    createParentDirectory(jdbcUrl);
    config.setMaximumPoolSize(1);
    config.setMinimumIdle(1);
    config.setMaxLifetime(0);
    config.addDataSourceProperty("journal_mode", "WAL");
    config.addDataSourceProperty("synchronous", "FULL");
    config.addDataSourceProperty("locking_mode", "EXCLUSIVE");
    config.addDataSourceProperty("busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT_MILLIS));
    config.addDataSourceProperty("foreign_keys", "true");
  }

  /** SQLite creates a missing file but not its directory; {@code ./data} may not exist yet. */
  private static void createParentDirectory(String jdbcUrl) {
    String location = jdbcUrl.substring("jdbc:sqlite:".length());
    int query = location.indexOf('?');
    if (query >= 0) {
      location = location.substring(0, query);
    }
    if (location.isEmpty() || location.startsWith(":") || location.startsWith("file:")) {
      return;   // in memory, or a URI the driver resolves itself
    }
    Path parent = Path.of(location).toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory " + parent + " for the store " + jdbcUrl, e);
    }
  }

  /**
   * The version of the newest migration, on every dialect. A store whose history already ends
   * there successfully starts without Flyway, which spends a few hundred milliseconds of a start
   * loading itself and scanning the jar; {@code DatabaseSchemaVersionTest} keeps it in step with
   * the migration files.
   */
  static final String SCHEMA_VERSION = "14";

  /** Applies pending migrations; throws StoreUnavailableException when the store is down. */
  public void migrate() {
    if (isCurrent()) {
      return;
    }
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations(dialect.migrations().toArray(String[]::new))
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new StoreUnavailableException("cannot migrate the store at " + description + ": " + rootMessage(e), e);
    }
  }

  /** Whether the store's migration history ends, successfully, at {@link #SCHEMA_VERSION}. */
  boolean isCurrent() {
    try (Connection connection = dataSource.getConnection()) {
      try (PreparedStatement select = connection.prepareStatement(
               "select version, success from flyway_schema_history where version is not null"
                   + " order by installed_rank desc limit 1");
           ResultSet row = select.executeQuery()) {
        return row.next() && SCHEMA_VERSION.equals(row.getString(1)) && row.getBoolean(2);
      } finally {
        connection.rollback();
      }
    } catch (SQLException e) {
      // No history table yet (a new store), or no store: Flyway finds out and says which.
      return false;
    }
  }

  public Dialect dialect() {
    return dialect;
  }

  /** Where the store lives, password redacted. */
  public String description() {
    return description;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** True when a connection can be had and answers within a second. */
  public boolean isReachable() {
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid(1);
    } catch (SQLException e) {
      return false;
    }
  }

  /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
  public <T> T inTransaction(Work<T> work) {
    Connection connection;
    try {
      connection = dataSource.getConnection();
    } catch (SQLException e) {
      throw new StoreUnavailableException("store " + description + " is unavailable: " + e.getMessage(), e);
    }
    try (connection) {
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection, e);
        throw e;
      } catch (AssertionError e) {
        // pgjdbc asserts on a connection the server has closed when assertions are enabled;
        // without them the same failure is an SQLException with state 08003. Treat both alike.
        throw new StoreUnavailableException("store " + description + " failed: " + e.getMessage(), e);
      }
    } catch (SQLException e) {
      if (isConnectionFailure(e)) {
        throw new StoreUnavailableException("store " + description + " failed: " + e.getMessage(), e);
      }
      throw new StoreException(e.getMessage(), e);
    }
  }

  /** True for errors that mean the store is down or unreachable rather than the data being wrong. */
  public static boolean isConnectionFailure(SQLException e) {
    if (e instanceof SQLiteException sqlite) {
      // SQLite reports no SQL state; its result codes say whether the file or the data failed.
      return SQLITE_UNAVAILABLE.contains(primary(sqlite.getResultCode()));
    }
    String state = e.getSQLState();
    return e instanceof SQLTransientConnectionException
        || state == null
        || state.startsWith("08")   // connection exception
        || state.startsWith("57")   // operator intervention: admin shutdown, cannot connect now
        || state.startsWith("53");  // insufficient resources
  }

  /** The primary result code of an extended one, e.g. SQLITE_BUSY for SQLITE_BUSY_SNAPSHOT. */
  private static SQLiteErrorCode primary(SQLiteErrorCode code) {
    return SQLiteErrorCode.getErrorCode(code.code & 0xff);
  }

  private static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  @Override
  public void close() {
    dataSource.close();
  }

  /** Work done on one connection inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }
}
