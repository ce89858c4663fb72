package dev.remediator.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PgArraysTest {
  @RegisterExtension
  static final TestDatabase postgres = new TestDatabase();

  @Test
  void instantsAsTextAreReadBackByPostgresqlAsTheSameInstant() throws Exception {
    List<Instant> instants = List.of(
        Instant.parse("2026-11-24T05:00:00Z"),
        Instant.parse("2026-11-24T05:00:00.123456Z"),
        Instant.parse("0000-01-01T00:00:00Z"),
        Instant.parse("-0041-03-15T12:00:00Z"),
        Instant.parse("+10000-01-01T23:58:59.999999Z"),
        Instant.parse("1999-12-31T23:59:59.999999Z"));
    String[] texts = instants.stream().map(PgArrays::instant).toArray(String[]::new);

    List<Instant> back = new ArrayList<>();
    try (Connection connection = postgres.connect();
         PreparedStatement select = connection.prepareStatement("select unnest(?::timestamptz[])")) {
      PgArrays.text(connection, select, 1, texts);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          back.add(rows.getObject(1, OffsetDateTime.class).toInstant());
        }
      }
    }

    assertThat(back).isEqualTo(instants);
    assertThat(back).extracting(PgArrays::instant).containsExactly(texts);
  }

  @Test
  void instantsAreCutToMicroseconds() {
    assertThat(PgArrays.instant(Instant.parse("2026-11-24T05:00:00.123456789Z")))
        .isEqualTo("2026-11-24 05:00:00.123456+00");
    assertThat(PgArrays.instant(null)).isNull();
  }
}
