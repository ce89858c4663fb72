package dev.remediator.engine;

import dev.remediator.store.Database;
import dev.remediator.testing.InMemoryStore;

/** The {@link Escalator} on the embedded SQLite store. */
class EscalatorTest extends EscalatorContract {
  @Override
  Database openDatabase() {
    return InMemoryStore.open();
  }
}
