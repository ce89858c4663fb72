package dev.remediator.engine;

import dev.remediator.store.Database;
import dev.remediator.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/** The simulator over history in PostgreSQL, each test on a database of its own. */
class SimulatorOnPostgresTest extends SimulatorContract {
  private static final List<TestDatabase> DATABASES = new ArrayList<>();

  @Override
  Database openDatabase() {
    TestDatabase fresh = new TestDatabase();
    DATABASES.add(fresh);
    return fresh.openStore();
  }

  @AfterAll
  static void drop() {
    DATABASES.forEach(TestDatabase::close);
  }
}
