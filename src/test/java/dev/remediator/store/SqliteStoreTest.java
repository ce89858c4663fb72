package dev.remediator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remediator.alert.AlertStatus;
import dev.remediator.testing.Rows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded SQLite store, a fresh file per test, and what only that store does. */
class SqliteStoreTest extends StoreContract {
  @TempDir
  Path dir;

  private Path file;
  private Database database;

  @BeforeEach
  void open() {
    file = dir.resolve("data/remediator.db");
    database = Database.open(Database.sqliteUrl(file), 4);
    database.migrate();
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Override
  Database database() {
    return database;
  }

  @Test
  void createsItsDirectoryAndSyncsEveryCommitToItsWriteAheadLog() {
    assertThat(Files.isRegularFile(file)).isTrue();
    assertThat(pragma("journal_mode")).isEqualTo("wal");
    assertThat(pragma("synchronous")).as("2 is FULL: the log is synced before a commit returns").isEqualTo("2");
    assertThat(pragma("locking_mode")).isEqualTo("exclusive");
    assertThat(pragma("foreign_keys")).isEqualTo("1");
  }

  @Test
  void instantsAreStoredAsFixedWidthUtcTextSoTheyCompareInTimeOrder() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)), incoming(alert("a2", AlertStatus.FIRING, T0.plusMillis(5))));

    assertThat(Rows.of(database, "select starts_at from alert order by starts_at desc"))
        .containsExactly("2026-11-22T10:00:00.005000Z", "2026-11-22T10:00:00.000000Z");
  }

  @Test
  void anotherProcessCannotUseTheStoreWhileItIsOpen() throws SQLException {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    Properties impatient = new Properties();
    impatient.setProperty("busy_timeout", "100");

    try (Connection other = DriverManager.getConnection(Database.sqliteUrl(file), impatient);
         Statement select = other.createStatement()) {
      assertThatThrownBy(() -> select.executeQuery("select count(*) from alert").close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("SQLITE_BUSY")
          .satisfies(e -> assertThat(Database.isConnectionFailure((SQLException) e)).isTrue());
    }
  }

  @Test
  void committedWorkIsThereWhenTheStoreIsOpenedAgain() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    database.close();

    database = Database.open(Database.sqliteUrl(file), 4);
    database.migrate();

    assertThat(Rows.of(database, "select fingerprint, status from alert")).containsExactly("a1 | firing");
  }

  @Test
  void auditEventsCannotBeUpdatedOrDeleted() {
    database.inTransaction(c -> c.createStatement().executeUpdate("insert into audit_event (occurred_at, kind, actor, "
        + "detail) values ('2026-11-22T10:00:00.000000Z', 'reloaded', 'operator', '{}')"));

    for (String sql : new String[] {"update audit_event set actor = 'someone else'", "delete from audit_event"}) {
      assertThatThrownBy(() -> database.inTransaction(c -> c.createStatement().executeUpdate(sql)))
          .as(sql)
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("audit_event is append-only");
    }
    assertThat(count("select count(*) from audit_event")).isEqualTo(1);
  }

  @Test
  void brokenInstantIsReportedWithItsColumn() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    database.inTransaction(c -> c.createStatement().executeUpdate("update alert set starts_at = 'yesterday'"));

    assertThatThrownBy(() -> database.inTransaction(c -> inbox.undecided(c, 10)))
        .isInstanceOf(StoreException.class)
        .hasMessage("starts_at holds \"yesterday\", which is not an instant like 2026-11-22T10:00:00.000000Z");
  }

  private String pragma(String name) {
    return database.inTransaction(c -> {
      try (Statement statement = c.createStatement(); ResultSet row = statement.executeQuery("pragma " + name)) {
        row.next();
        return row.getString(1);
      }
    });
  }
}
