package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.store.Database;
import dev.remediator.testing.InMemoryStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The breakers on the embedded SQLite store, where a restart must find them as they were. */
class BreakerOnSqliteTest extends BreakerContract {
  @TempDir
  Path dir;

  @Override
  Database openDatabase() {
    return InMemoryStore.open();
  }

  private Database openFile() {
    Database file = Database.open(Database.sqliteUrl(dir.resolve("store.db")), 4);
    file.migrate();
    return file;
  }

  @Test
  void anOpenBreakerIsStillOpenAfterARestart() {
    database.close();
    database = openFile();
    for (int i = 0; i < 5; i++) {
      decideAndRun("restart-api", "api", failure());
    }
    database.close();

    database = openFile();
    Verdict verdict = ask(database, "restart-api", "api");
    assertThat(verdict).isInstanceOf(Verdict.Skip.class);
    assertThat(verdict.reason()).startsWith("breaker open until " + T0.plus(Duration.ofMinutes(10)));
    assertThat(state()).isEqualTo("open");
  }
}
