package dev.remediator.engine;

import dev.remediator.store.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link Verifier} on the embedded SQLite store, in a file, so a restart is closing and reopening it. */
class VerifierTest extends VerifierContract {
  @TempDir
  Path dir;

  @Override
  Database openStore() {
    Database opened = Database.open(Database.sqliteUrl(dir.resolve("remediator.db")), 4);
    opened.migrate();
    return opened;
  }

  @Override
  void dropStore() {
    // The temporary directory goes with the test.
  }
}
