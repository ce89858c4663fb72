package dev.remediator.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.testing.InMemoryStore;
import dev.remediator.testing.Rows;
import dev.remediator.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DatabaseSchemaVersionTest {
  private static final Pattern VERSION = Pattern.compile("V(\\d+)(?:_(\\d+))?__.*\\.sql");

  @RegisterExtension
  static final TestDatabase postgres = new TestDatabase();

  @Test
  void theSchemaVersionIsTheNewestMigrationOfEveryDialect() throws IOException {
    for (String dir : List.of("common", "postgresql", "sqlite")) {
      try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration", dir))) {
        List<int[]> versions = files.map(file -> VERSION.matcher(file.getFileName().toString()))
            .filter(Matcher::matches)
            .map(m -> new int[] {Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2))})
            .toList();
        int[] newest = versions.stream().max(Comparator.<int[]>comparingInt(v -> v[0]).thenComparingInt(v -> v[1]))
            .orElseThrow();
        if (!dir.equals("postgresql")) {
          assertThat(newest[0] + (newest[1] == 0 ? "" : "." + newest[1])).as(dir).isEqualTo(Database.SCHEMA_VERSION);
        } else {
          assertThat(newest[0]).as("postgresql's own migrations come before the newest common one")
              .isLessThanOrEqualTo(Integer.parseInt(Database.SCHEMA_VERSION));
        }
      }
    }
  }

  @Test
  void aMigratedStoreIsCurrentAndOpensAgainWithoutChange() {
    try (Database store = postgres.openStore()) {
      assertThat(store.isCurrent()).isTrue();
      List<String> history = Rows.of(store, "select version from flyway_schema_history order by installed_rank");
      store.migrate();
      assertThat(Rows.of(store, "select version from flyway_schema_history order by installed_rank"))
          .isEqualTo(history);
    }
    try (Database embedded = InMemoryStore.open()) {
      assertThat(embedded.isCurrent()).isTrue();
    }
  }

  @Test
  void aStoreWhoseHistoryEndsEarlierIsNotCurrent() {
    try (Database store = postgres.openStore()) {
      store.inTransaction(c -> {
        c.createStatement().execute("update flyway_schema_history set success = false"
            + " where installed_rank = (select max(installed_rank) from flyway_schema_history)");
        return null;
      });
      try {
        assertThat(store.isCurrent()).isFalse();
      } finally {
        store.inTransaction(c -> c.createStatement().execute("update flyway_schema_history set success = true"));
      }
    }
  }
}
