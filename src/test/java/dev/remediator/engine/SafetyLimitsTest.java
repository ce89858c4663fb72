package dev.remediator.engine;

import dev.remediator.store.Database;
import dev.remediator.testing.InMemoryStore;

/** The kill switch, blast radius and max_fraction on the embedded SQLite store. */
class SafetyLimitsTest extends SafetyLimitsContract {
  @Override
  Database openDatabase() {
    return InMemoryStore.open();
  }
}
