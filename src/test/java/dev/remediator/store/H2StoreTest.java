package dev.remediator.store;

import dev.remediator.testing.InMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The store contract on embedded H2, a fresh in-memory database per test. */
class H2StoreTest extends StoreContract {
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
