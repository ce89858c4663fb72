package dev.remediator.testing;

import dev.remediator.store.Database;

/**
 * A fresh, migrated embedded store in memory, gone when closed. The embedded store keeps one
 * connection for the life of its pool, so the in-memory database lives exactly as long.
 */
public final class InMemoryStore {
  private InMemoryStore() {}

  public static Database open() {
    Database database = Database.open("jdbc:sqlite::memory:", 4);
    database.migrate();
    return database;
  }
}
