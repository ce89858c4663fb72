package dev.remediator.api;

import dev.remediator.testing.TestDatabase;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The audit API on PostgreSQL, a new database per test (the audit log is append-only). */
class AuditApiPostgresTest extends AuditApiContract {
  private TestDatabase postgres;

  @BeforeEach
  @Override
  void start() {
    postgres = new TestDatabase();
    super.start();
  }

  @AfterEach
  @Override
  void stop() {
    super.stop();
    postgres.close();
  }

  @Override
  Optional<String> databaseUrl() {
    return Optional.of(postgres.storeUrl());
  }
}
