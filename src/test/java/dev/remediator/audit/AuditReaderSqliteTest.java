package dev.remediator.audit;

import dev.remediator.store.Database;
import dev.remediator.testing.InMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The audit reader on the embedded store, a fresh one per test. */
class AuditReaderSqliteTest extends AuditReaderContract {
  private Database database;

  @BeforeEach
  void open() {
    database = InMemoryStore.open();
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Override
  Database database() {
    return database;
  }
}
