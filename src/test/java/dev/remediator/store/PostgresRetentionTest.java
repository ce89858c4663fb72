package dev.remediator.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.testing.FreshStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retention on the real PostgreSQL at 127.0.0.1:5432, a fresh database per test. */
class PostgresRetentionTest extends RetentionContract {
  @RegisterExtension
  final FreshStore postgres = FreshStore.onPostgres();

  @Override
  Database database() {
    return postgres.database();
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
