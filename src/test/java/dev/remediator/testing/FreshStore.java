package dev.remediator.testing;

import dev.remediator.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * remediator's store, migrated and empty, for every test, closed after it: on a fresh PostgreSQL
 * {@link TestDatabase} (dropped after the test) or {@link InMemoryStore in memory}. Register it
 * on an instance field, so it is ready before the test's own {@code @BeforeEach}:
 *
 * <pre>{@code
 * @RegisterExtension
 * final FreshStore store = FreshStore.onPostgres();
 * ... store.database() ...
 * }</pre>
 */
public final class FreshStore implements BeforeEachCallback, AfterEachCallback {
  private final boolean onPostgres;
  private TestDatabase server;
  private Database database;

  private FreshStore(boolean onPostgres) {
    this.onPostgres = onPostgres;
  }

  /** A store on a PostgreSQL database of its own per test. */
  public static FreshStore onPostgres() {
    return new FreshStore(true);
  }

  /** An embedded store in memory per test. */
  public static FreshStore inMemory() {
    return new FreshStore(false);
  }

  /** The store of the running test. */
  public Database database() {
    return database;
  }

  /** Another store on the same PostgreSQL database, as a second replica sees it; the caller closes it. */
  public Database openReplica() {
    return postgres().openStore();
  }

  /** A plain connection to the test's PostgreSQL database, as its owner; the caller closes it. */
  public Connection connect() throws SQLException {
    return postgres().connect();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (onPostgres) {
      server = new TestDatabase().open();
      database = server.openStore();
    } else {
      database = InMemoryStore.open();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    database.close();
    if (server != null) {
      server.close();
      server = null;
    }
  }

  private TestDatabase postgres() {
    if (server == null) {
      throw new IllegalStateException("only a store on PostgreSQL has a database other stores can share");
    }
    return server;
  }
}
