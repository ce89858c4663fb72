package dev.remediator.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retention on the real PostgreSQL at 127.0.0.1:5432, a fresh database per test. */
class PostgresRetentionTest extends RetentionContract {
  private TestDatabase server;
  private Database database;

  @BeforeEach
  void open() {
    server = new TestDatabase().open();
    database = server.openStore();
  }

  @AfterEach
  void close() {
    database.close();
    server.close();
  }

  @Override
  Database database() {
    return database;
  }

  @Test
  void onlyOneReplicaDeletesAtATime() throws Exception {
    alertAt("old-done", OLD, true, null);
    try (Connection other = database().dataSource().getConnection()) {
      try (PreparedStatement lock = other.prepareStatement(
          "select name from maintenance_lock where name = 'retention' for update")) {
        lock.executeQuery().close();
      }
      assertThat(retention().deleteBatch()).isZero();
      other.rollback();
    }
    assertThat(retention().deleteBatch()).isEqualTo(2);
  }
}
