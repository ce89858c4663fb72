package dev.remediator.store;

import dev.remediator.config.Redaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.sqlite.SQLiteConnection;

/**
 * The SQL differences between the two stores, PostgreSQL and the embedded SQLite file; everything
 * else is shared.
 *
 * <p>SQLite has no row locks: the embedded store runs every transaction of its process on one
 * connection, so transactions never interleave and need no {@code FOR UPDATE}. Its driver does not
 * map {@code java.time} types, so instants are kept as fixed-width UTC text
 * ({@code 2026-11-22T10:00:00.000000Z}), which sorts and compares in time order.
 */
public enum Dialect {
  POSTGRES(List.of("classpath:db/migration/common", "classpath:db/migration/postgresql"),
      " for update", " for update skip locked", false),
  SQLITE(List.of("classpath:db/migration/sqlite"), "", "", true);

  private static final String INVALID_DATETIME = "22007";
  private static final DateTimeFormatter TEXT_INSTANT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

  private final List<String> migrations;
  private final String lockForUpdate;
  private final String lockForClaim;
  private final boolean embedded;

  Dialect(List<String> migrations, String lockForUpdate, String lockForClaim, boolean embedded) {
    this.migrations = migrations;
    this.lockForUpdate = lockForUpdate;
    this.lockForClaim = lockForClaim;
    this.embedded = embedded;
  }

  /** Appended to a select whose rows the transaction then changes: no one else changes them meanwhile. */
  public String lockForUpdate() {
    return lockForUpdate;
  }

  /** Appended to a select that claims queue rows: other replicas skip what one has locked. */
  public String lockForClaim() {
    return lockForClaim;
  }

  /**
   * True for the embedded store: a file that one process holds locked while it runs, so at
   * startup anything still marked running there was left by a process that died.
   */
  public boolean isEmbedded() {
    return embedded;
  }

  List<String> migrations() {
    return migrations;
  }

  /**
   * The SQL expression reading label {@code name} from the JSON labels in {@code column}; null
   * where the alert has no such label. {@code name} must be a plain identifier from the code, never
   * one from an alert: values are bound, never spliced in.
   */
  public String labelValue(String column, String name) {
    if (!name.matches("[a-z_]+")) {
      throw new IllegalArgumentException("label name must be a plain identifier, but was " + name);
    }
    return this == SQLITE ? "json_extract(" + column + ", '$." + name + "')" : "(" + column + "::jsonb ->> '" + name + "')";
  }

  /** Binds {@code at} (null for SQL NULL) as this store keeps instants. */
  public void setInstant(PreparedStatement statement, int index, Instant at) throws SQLException {
    if (at == null) {
      statement.setObject(index, null);
    } else if (this == SQLITE) {
      statement.setString(index, TEXT_INSTANT.format(at.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC)));
    } else {
      statement.setObject(index, at.atOffset(ZoneOffset.UTC));
    }
  }

  /** Reads an instant written by {@link #setInstant}; null for SQL NULL. */
  public Instant instant(ResultSet row, String column) throws SQLException {
    if (this == SQLITE) {
      return parse(row.getString(column), column);
    }
    OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static Instant parse(String text, String column) throws SQLException {
    if (text == null) {
      return null;
    }
    try {
      return LocalDateTime.parse(text, TEXT_INSTANT).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new SQLException(column + " holds \"" + text + "\", which is not an instant like 2026-11-22T10:00:00.000000Z",
          INVALID_DATETIME, e);
    }
  }

  public static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRES;
    }
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    throw new IllegalArgumentException(
        "REMEDIATOR_DATABASE_URL must start with jdbc:postgresql: or jdbc:sqlite:, but was " + redact(jdbcUrl));
  }

  /** The dialect of the store behind {@code connection} (a pooled one included). */
  public static Dialect of(Connection connection) throws SQLException {
    return connection.isWrapperFor(SQLiteConnection.class) ? SQLITE : POSTGRES;
  }

  /** The URL with any password parameter blanked, fit for logs and errors. */
  public static String redact(String jdbcUrl) {
    return Redaction.url(jdbcUrl);
  }
}
