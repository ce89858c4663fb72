package dev.remediator.testing;

import dev.remediator.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * remediator's store, migrated, on a fresh PostgreSQL {@link TestDatabase} for every test, both
 * closed after it, for tests whose rows must not meet the previous test's. Register it on an
 * instance field, so it is ready before the test's own {@code @BeforeEach}:
 *
 * <pre>{@code
 * @RegisterExtension
 * final FreshStore postgres = new FreshStore();
 * ... postgres.database() ...
 * }</pre>
 */
public final class FreshStore implements BeforeEachCallback, AfterEachCallback {
  private TestDatabase server;
  private Database database;

  /** The store of the running test. */
  public Database database() {
    return database;
  }

  /** Another store on the same database, as a second replica sees it; the caller closes it. */
  public Database openReplica() {
    return server.openStore();
  }

  /** A plain connection to the test's database, as its owner; the caller closes it. */
  public Connection connect() throws SQLException {
    return server.connect();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    server = new TestDatabase().open();
    database = server.openStore();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    database.close();
    server.close();
  }
}
