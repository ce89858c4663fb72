package dev.remediator.engine;

import dev.remediator.store.Database;
import dev.remediator.testing.InMemoryStore;

/** {@code on_interrupt: recheck} on the embedded SQLite store. */
class RecheckOnSqliteTest extends RecheckContract {
  @Override
  Database openDatabase() {
    return InMemoryStore.open();
  }
}
