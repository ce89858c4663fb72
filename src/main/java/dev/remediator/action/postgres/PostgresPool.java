package dev.remediator.action.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.remediator.config.ReadFailure;
import dev.remediator.config.Redaction;
import dev.remediator.target.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The small connection pool of one {@code postgres} target, never the store's: at most two
 * connections, made on first use, with short connect, socket and statement timeouts, each
 * connection naming itself {@value IdleBackends#OWN_APPLICATION_NAME}. The password is
 * {@code password}, or read from {@code password_file} on every use so that it may rotate (a
 * changed password replaces the pool).
 */
final class PostgresPool implements AutoCloseable {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(25);
  private static final Duration POOL_WAIT = CONNECT_TIMEOUT.plusSeconds(1);

  /** A target whose settings cannot make a pool: the message says which and why, without secrets. */
  static final class SettingsException extends Exception {
    SettingsException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Target target;
  private HikariDataSource dataSource;
  private String password;
  private boolean closed;

  PostgresPool(Target target) {
    this.target = Objects.requireNonNull(target, "target");
  }

  /** The target's JDBC URL with any password masked, for messages. */
  String safeUrl() {
    return Redaction.url(target.setting("jdbc_url"));
  }

  /** The password now in force, for masking it in messages; empty when there is none. */
  synchronized Optional<String> currentPassword() {
    return Optional.ofNullable(password);
  }

  /** A connection from the pool, built (or rebuilt for a new password) when needed. */
  Connection connection() throws SQLException, SettingsException {
    return dataSource().getConnection();
  }

  /**
   * The pool for the password in force. The first connection is made when the pool is built, so
   * a wrong URL, database or password fails at once with the server's own error rather than
   * after the pool's wait; later failures wait for at most the pool's wait.
   */
  private synchronized HikariDataSource dataSource() throws SQLException, SettingsException {
    if (closed) {
      throw new IllegalStateException("the pool of target " + target.name() + " is closed");
    }
    String url = target.setting("jdbc_url");
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new SettingsException("jdbc_url must be a jdbc:postgresql:// URL, but was " + Redaction.url(url), null);
    }
    String wanted = password().orElse(null);
    if (dataSource != null && Objects.equals(wanted, password)) {
      return dataSource;
    }
    if (dataSource != null) {
      dataSource.close();
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("remediator-postgres-" + target.name());
    config.setJdbcUrl(url);
    if (!target.setting("user").isEmpty()) {
      config.setUsername(target.setting("user"));
    }
    config.setPassword(wanted);
    config.setMaximumPoolSize(2);
    config.setMinimumIdle(0);
    config.setIdleTimeout(Duration.ofSeconds(30).toMillis());
    config.setMaxLifetime(Duration.ofMinutes(5).toMillis());
    config.setConnectionTimeout(POOL_WAIT.toMillis());
    config.setValidationTimeout(CONNECT_TIMEOUT.toMillis());
    config.setInitializationFailTimeout(1);
    config.addDataSourceProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
    config.addDataSourceProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
    config.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
    config.setConnectionInitSql("SET application_name = '" + IdleBackends.OWN_APPLICATION_NAME + "'; "
        + "SET statement_timeout = '" + STATEMENT_TIMEOUT.toMillis() + "ms'");
    try {
      dataSource = new HikariDataSource(config);
    } catch (HikariPool.PoolInitializationException e) {
      dataSource = null;
      if (e.getCause() instanceof SQLException cause) {
        throw cause;
      }
      throw new SQLException(e.getMessage(), "08001", e);
    }
    password = wanted;
    return dataSource;
  }

  /** {@code password}, or the contents of {@code password_file} less one trailing newline. */
  private Optional<String> password() throws SettingsException {
    String given = target.setting("password");
    String file = target.setting("password_file");
    if (!given.isEmpty() && !file.isEmpty()) {
      throw new SettingsException("set password or password_file, not both", null);
    }
    if (!given.isEmpty()) {
      return Optional.of(given);
    }
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try {
      String text = Files.readString(Path.of(file));
      return Optional.of(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
    } catch (IOException | RuntimeException e) {
      throw new SettingsException("cannot read password_file " + file + ": "
          + ReadFailure.describe(e), e);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (dataSource != null) {
      dataSource.close();
      dataSource = null;
    }
  }
}
