package dev.remediator.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The store: a HikariCP pool on PostgreSQL or embedded H2, migrated by Flyway, with one helper
 * to run work in a transaction. Connection failures surface as {@link StoreUnavailableException}.
 */
public final class Database implements AutoCloseable {
  /** Default embedded store: an H2 file under ./data. */
  public static final String DEFAULT_H2_URL = h2Url("file:./data/remediator");

  /**
   * An H2 URL for {@code location} ({@code file:PATH} or {@code mem:NAME}) in PostgreSQL mode,
   * so both stores share one set of SQL.
   */
  public static String h2Url(String location) {
    return "jdbc:h2:" + location + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
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
   * webhook report it). {@code poolSize} bounds connections per replica.
   */
  public static Database open(String jdbcUrl, int poolSize) {
    Dialect dialect = Dialect.of(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    if (dialect == Dialect.POSTGRES && !jdbcUrl.contains("user=")) {
      config.setUsername(System.getProperty("user.name"));
    }
    config.setPoolName("remediator-store");
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(2, poolSize));
    config.setConnectionTimeout(1_000);
    config.setValidationTimeout(500);
    config.setInitializationFailTimeout(-1);
    config.setAutoCommit(false);
    if (dialect == Dialect.POSTGRES) {
      config.addDataSourceProperty("connectTimeout", "2");
      config.addDataSourceProperty("socketTimeout", "30");
      config.addDataSourceProperty("tcpKeepAlive", "true");
    }
    return new Database(new HikariDataSource(config), dialect, Dialect.redact(jdbcUrl));
  }

  /** Applies pending migrations; throws StoreUnavailableException when the store is down. */
  public void migrate() {
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration/common", "classpath:db/migration/" + dialect.flywayVendor())
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new StoreUnavailableException("cannot migrate the store at " + description + ": " + rootMessage(e), e);
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
    String state = e.getSQLState();
    return e instanceof SQLTransientConnectionException
        || state == null
        || state.startsWith("08")   // connection exception
        || state.startsWith("57")   // operator intervention: admin shutdown, cannot connect now
        || state.startsWith("53")   // insufficient resources
        || state.equals("90067")    // H2: connection broken
        || state.equals("90098");   // H2: database closed
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
