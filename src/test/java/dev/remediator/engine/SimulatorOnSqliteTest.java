package dev.remediator.engine;

import dev.remediator.store.Database;
import dev.remediator.testing.InMemoryStore;

/** The simulator over history in the embedded store. */
class SimulatorOnSqliteTest extends SimulatorContract {
  @Override
  Database openDatabase() {
    return InMemoryStore.open();
  }
}
