package dev.remediator.engine;

import dev.remediator.store.Database;
import dev.remediator.testing.InMemoryStore;

/** {@link ApprovalExpiry} on the embedded SQLite store. */
class ApprovalExpiryTest extends ApprovalExpiryContract {
  @Override
  Database openDatabase() {
    return InMemoryStore.open();
  }
}
