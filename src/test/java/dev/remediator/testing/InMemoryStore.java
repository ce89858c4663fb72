package dev.remediator.testing;

import dev.remediator.store.Database;
import java.util.UUID;

/** A fresh, migrated embedded H2 store in memory, gone when closed. */
public final class InMemoryStore {
  private InMemoryStore() {}

  public static Database open() {
    Database database = Database.open(Database.h2Url("mem:" + UUID.randomUUID()) + ";DB_CLOSE_DELAY=-1", 4);
    database.migrate();
    return database;
  }
}
