package dev.remediator.engine;

import dev.remediator.store.Database;
import dev.remediator.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code on_interrupt: recheck} on PostgreSQL, where the sweep and the decider lock span replicas. */
class RecheckOnPostgresTest extends RecheckContract {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase();

  @Override
  Database openDatabase() {
    return db.openStore();
  }
}
