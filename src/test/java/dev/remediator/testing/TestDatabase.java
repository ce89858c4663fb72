package dev.remediator.testing;

import dev.remediator.store.Database;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh, empty PostgreSQL database on the local server (127.0.0.1:5432, user {@code postgres},
 * trust auth) for one test class, dropped afterwards. Register it as a static extension:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestDatabase db = new TestDatabase();
 * ... db.jdbcUrl() ...
 * }</pre>
 *
 * or use it directly with try-with-resources. The database is created on first use.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = 5432;
  public static final String USER = "postgres";
  /** The database the admin connection uses to create and drop the per-class databases. */
  public static final String ADMIN_DATABASE = "test";

  private static final String NAME_PREFIX = "remediator_";
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
  private static final int CONNECT_TIMEOUT_SECONDS = 5;
  private static final SecureRandom RANDOM = new SecureRandom();

  private String name;

  /** The database's name, {@code remediator_} and 12 random lowercase letters. */
  public synchronized String name() {
    open();
    return name;
  }

  /** {@code jdbc:postgresql://127.0.0.1:5432/remediator_...}; connect as {@link #USER}, no password. */
  public String jdbcUrl() {
    return url(name());
  }

  /** The URL remediator's store takes for this database: {@link #jdbcUrl()} with the user. */
  public String storeUrl() {
    return jdbcUrl() + "?user=" + USER;
  }

  /** remediator's store on this database (a pool of 4), migrated; the caller closes it. */
  public Database openStore() {
    Database database = Database.open(storeUrl(), 4);
    database.migrate();
    return database;
  }

  /** A new connection to this database as {@link #USER}; the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), properties());
  }

  /** Creates the database unless it exists already. */
  public synchronized TestDatabase open() {
    if (name != null) {
      return this;
    }
    String created = randomName();
    try (Connection admin = admin(); Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + created);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + created + " on " + HOST + ":" + PORT + ": "
          + e.getMessage(), e);
    }
    name = created;
    return this;
  }

  /** Drops the database, closing whatever connections are still open to it. */
  @Override
  public synchronized void close() {
    if (name == null) {
      return;
    }
    try (Connection admin = admin(); Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop database " + name + " on " + HOST + ":" + PORT + ": "
          + e.getMessage(), e);
    }
    name = null;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    open();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** A connection to {@link #ADMIN_DATABASE}, or a failure that says how to get PostgreSQL running. */
  public static Connection admin() {
    try {
      return DriverManager.getConnection(url(ADMIN_DATABASE), properties());
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL is not reachable at " + HOST + ":" + PORT
          + " (run .ci/run, which starts it): " + e.getMessage(), e);
    }
  }

  private static String url(String database) {
    return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
  }

  private static Properties properties() {
    Properties properties = new Properties();
    properties.setProperty("user", USER);
    properties.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
    properties.setProperty("ApplicationName", "remediator-tests");
    return properties;
  }

  private static String randomName() {
    StringBuilder name = new StringBuilder(NAME_PREFIX);
    for (int i = 0; i < 12; i++) {
      name.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
    }
    return name.toString();
  }
}
