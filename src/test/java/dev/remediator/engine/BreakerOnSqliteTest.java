package dev.remediator.engine;

import dev.remediator.store.Database;
import dev.remediator.testing.InMemoryStore;

/** The breakers on the embedded SQLite store. */
class BreakerOnSqliteTest extends BreakerContract {
  @Override
  Database openDatabase() {
    return InMemoryStore.open();
  }
}
