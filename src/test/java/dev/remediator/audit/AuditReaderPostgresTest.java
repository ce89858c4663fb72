package dev.remediator.audit;

import dev.remediator.store.Database;
import dev.remediator.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The audit reader on PostgreSQL. The log is append-only even for tests, so each test gets a new
 * database, whose ids start at 1.
 */
class AuditReaderPostgresTest extends AuditReaderContract {
  private TestDatabase postgres;
  private Database database;

  @BeforeEach
  void open() {
    postgres = new TestDatabase();
    database = postgres.openStore();
  }

  @AfterEach
  void close() {
    database.close();
    postgres.close();
  }

  @Override
  Database database() {
    return database;
  }
}
