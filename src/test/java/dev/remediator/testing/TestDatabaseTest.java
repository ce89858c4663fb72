package dev.remediator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TestDatabaseTest {

  @Test
  void givesAFreshDatabaseAndDropsItOnCloseEvenWithConnectionsOpen() throws SQLException {
    TestDatabase db = new TestDatabase();
    String name;
    Connection stillOpen;
    try (db) {
      name = db.name();
      assertThat(name).matches("remediator_[a-z]{12}");
      assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/" + name);
      assertThat(exists(name)).isTrue();

      stillOpen = db.connect();
      try (Statement statement = stillOpen.createStatement()) {
        statement.execute("CREATE TABLE probe (id bigint PRIMARY KEY, note text NOT NULL)");
        statement.execute("INSERT INTO probe VALUES (1, 'written')");
        try (ResultSet rows = statement.executeQuery("SELECT note FROM probe WHERE id = 1")) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getString(1)).isEqualTo("written");
        }
      }
    }

    assertThat(exists(name)).isFalse();
    assertThat(stillOpen.isValid(2)).isFalse();
    stillOpen.close();
  }

  @Test
  void eachInstanceGetsItsOwnDatabase() {
    try (TestDatabase first = new TestDatabase().open(); TestDatabase second = new TestDatabase().open()) {
      assertThat(first.name()).isNotEqualTo(second.name());
    }
  }

  private static boolean exists(String name) throws SQLException {
    try (Connection admin = TestDatabase.admin();
         PreparedStatement query = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      query.setString(1, name);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }
}
