package dev.remediator.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Binds a column of values as one PostgreSQL array parameter, for inserts of any number of rows
 * in one statement ({@code insert ... select ... from unnest(?::text[], ...)}): one bind and one
 * execution on the server however many rows, where a JDBC batch costs both per row.
 */
public final class PgArrays {
  private PgArrays() {}

  public static void text(Connection connection, PreparedStatement statement, int index, String[] values)
      throws SQLException {
    Array array = connection.createArrayOf("text", values);
    statement.setArray(index, array);
  }

  public static void int8(Connection connection, PreparedStatement statement, int index, Long[] values)
      throws SQLException {
    statement.setArray(index, connection.createArrayOf("int8", values));
  }

  public static void int4(Connection connection, PreparedStatement statement, int index, Integer[] values)
      throws SQLException {
    statement.setArray(index, connection.createArrayOf("int4", values));
  }

  /**
   * An instant as PostgreSQL timestamptz input text ({@code 2026-11-24 05:00:00.123456+00}, with
   * {@code BC} for years before 1 and five digits after 9999, which ISO-8601 text would not
   * carry), cut to the microseconds PostgreSQL keeps, so the value read back formats the same.
   * Null stays null.
   */
  public static String instant(Instant at) {
    if (at == null) {
      return null;
    }
    LocalDateTime utc = LocalDateTime.ofInstant(at.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    int year = utc.getYear();
    boolean beforeChrist = year <= 0;
    StringBuilder text = new StringBuilder(40);
    pad(text, beforeChrist ? 1 - year : year, 4).append('-');
    pad(text, utc.getMonthValue(), 2).append('-');
    pad(text, utc.getDayOfMonth(), 2).append(' ');
    pad(text, utc.getHour(), 2).append(':');
    pad(text, utc.getMinute(), 2).append(':');
    pad(text, utc.getSecond(), 2).append('.');
    pad(text, utc.getNano() / 1000, 6).append("+00");
    return beforeChrist ? text.append(" BC").toString() : text.toString();
  }

  private static StringBuilder pad(StringBuilder text, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      text.append('0');
    }
    return text.append(digits);
  }
}
