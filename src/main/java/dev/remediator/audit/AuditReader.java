package dev.remediator.audit;

import dev.remediator.json.Canonical;
import dev.remediator.store.Database;
import dev.remediator.store.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Reads the audit log newest first: one page at a time for the API, or every matching row for an
 * export, without holding them in memory. The SQL is put together from fixed fragments, one per
 * filter given; every value a reader supplies is bound. Events are ordered by
 * {@code (occurred_at, id)}, newest first, and each filter has a {@code (column, occurred_at, id)}
 * index: a page walks one index backwards from the cursor (the last id seen, whose time is looked
 * up) or from the end of the time window, and stops when the page is full.
 */
public final class AuditReader {
  /**
   * What the text search reads: the summary fields and the detail, lower-cased, as one text. On
   * PostgreSQL a trigram index covers exactly this expression (V13); keep the two identical.
   */
  static final String SEARCH_TEXT = "lower(coalesce(alertname, '') || ' ' || coalesce(rule_name, '') || ' '"
      + " || coalesce(action, '') || ' ' || coalesce(target, '') || ' ' || coalesce(outcome, '') || ' '"
      + " || actor || ' ' || detail)";
  /** Rows PostgreSQL sends per round trip of an export. */
  static final int EXPORT_FETCH_SIZE = 1_000;
  /**
   * Rows per transaction of an export from the embedded store, which has one connection for the
   * whole process: between chunks the webhook and the decider get their turn.
   */
  static final int EMBEDDED_EXPORT_CHUNK = 500;

  private static final String COLUMNS = "select id, occurred_at, kind, actor, notification_id, alert_id,"
      + " remediation_id, fingerprint, alertname, rule_name, action, target, outcome, detail from audit_event";

  /** Receives exported entries one at a time. */
  public interface Sink {
    void accept(AuditEntry entry) throws IOException;
  }

  /** One page of at most {@code query.limit()} entries (which must be given), newest first. */
  public AuditPage page(Connection connection, AuditQuery query) throws SQLException {
    int limit = query.limit().orElseThrow(() -> new IllegalArgumentException("a page needs a limit"));
    List<AuditEntry> entries = new ArrayList<>(Math.min(limit, 1_000));
    Dialect dialect = Dialect.of(connection);
    // One row more than asked for tells whether there is a next page.
    try (PreparedStatement select = prepare(connection, dialect, query, limit + 1L);
         ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        entries.add(read(dialect, rows));
      }
    }
    if (entries.size() <= limit) {
      return new AuditPage(entries, OptionalLong.empty());
    }
    entries.remove(limit);
    return new AuditPage(entries, OptionalLong.of(entries.get(limit - 1).id()));
  }

  /**
   * Passes every entry the query matches (up to its limit, if it has one) to {@code sink}, newest
   * first, and returns how many. PostgreSQL streams them from one snapshot through a cursor of
   * {@link #EXPORT_FETCH_SIZE} rows; the embedded store reads them in chunks of
   * {@link #EMBEDDED_EXPORT_CHUNK}, each in its own short transaction, page after page.
   * Throws what the sink throws, having let go of the store.
   */
  public long export(Database database, AuditQuery query, Sink sink) throws IOException {
    try {
      return database.dialect().isEmbedded()
          ? exportInChunks(database, query, sink)
          : exportStreaming(database, query, sink);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private long exportStreaming(Database database, AuditQuery query, Sink sink) {
    return database.inTransaction(connection -> {
      long limit = query.limit().isPresent() ? query.limit().getAsInt() : Long.MAX_VALUE;
      long count = 0;
      // A cursor needs a transaction (the pool's connections never autocommit) and a fetch size.
      try (PreparedStatement select = prepare(connection, Dialect.POSTGRES, query, limit)) {
        select.setFetchSize(EXPORT_FETCH_SIZE);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            accept(sink, read(Dialect.POSTGRES, rows));
            count++;
          }
        }
      }
      return count;
    });
  }

  private long exportInChunks(Database database, AuditQuery query, Sink sink) {
    long remaining = query.limit().isPresent() ? query.limit().getAsInt() : Long.MAX_VALUE;
    AuditQuery chunk = query;
    long count = 0;
    while (remaining > 0) {
      AuditQuery next = chunk.limit((int) Math.min(EMBEDDED_EXPORT_CHUNK, remaining));
      AuditPage page = database.inTransaction(connection -> page(connection, next));
      for (AuditEntry entry : page.entries()) {
        accept(sink, entry);
      }
      count += page.entries().size();
      remaining -= page.entries().size();
      if (page.next().isEmpty()) {
        break;
      }
      chunk = next.before(page.next().getAsLong());
    }
    return count;
  }

  private static void accept(Sink sink, AuditEntry entry) {
    try {
      sink.accept(entry);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static PreparedStatement prepare(Connection connection, Dialect dialect, AuditQuery query, long limit)
      throws SQLException {
    if (!dialect.isEmbedded()) {
      // The same statement runs again and again with other values. A plan made for values
      // unknown (PostgreSQL's generic plan, chosen after five runs) cannot tell a rare alert
      // name from a common one or use the trigram index for the pattern; plan for each.
      try (Statement settings = connection.createStatement()) {
        settings.execute("set local plan_cache_mode = force_custom_plan");
      }
    }
    Instant cursorAt = null;
    if (query.before().isPresent()) {
      cursorAt = occurredAt(connection, dialect, query.before().getAsLong());
    }
    Select select = select(dialect, query, cursorAt, limit);
    PreparedStatement statement = connection.prepareStatement(select.sql());
    try {
      select.bind(statement, dialect);
    } catch (SQLException e) {
      statement.close();
      throw e;
    }
    return statement;
  }

  /** When the event {@code id} occurred; throws {@link UnknownCursorException} when there is no such event. */
  private static Instant occurredAt(Connection connection, Dialect dialect, long id) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("select occurred_at from audit_event where id = ?")) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          throw new UnknownCursorException(id);
        }
        return dialect.instant(row, "occurred_at");
      }
    }
  }

  /**
   * The select for {@code query}, newest first, at most {@code limit} rows ({@code Long.MAX_VALUE}:
   * all); {@code cursorAt} is when the cursor's event occurred (null without a cursor).
   */
  static Select select(Dialect dialect, AuditQuery query, Instant cursorAt, long limit) {
    StringBuilder sql = new StringBuilder(COLUMNS);
    List<Object> values = new ArrayList<>();
    String joiner = " where ";
    for (AuditField field : AuditField.values()) {
      String value = query.equal().get(field);
      if (value != null) {
        sql.append(joiner).append(field.column()).append(" = ?");
        values.add(value);
        joiner = " and ";
      }
    }
    if (query.since() != null) {
      sql.append(joiner).append("occurred_at >= ?");
      values.add(query.since());
      joiner = " and ";
    }
    if (query.until() != null) {
      sql.append(joiner).append("occurred_at < ?");
      values.add(query.until());
      joiner = " and ";
    }
    if (query.text() != null) {
      // PostgreSQL's LIKE escapes with a backslash by default; SQLite's only when told.
      sql.append(joiner).append(SEARCH_TEXT).append(dialect.isEmbedded() ? " like ? escape '\\'" : " like ?");
      values.add("%" + escapeLike(query.text().toLowerCase(Locale.ROOT)) + "%");
      joiner = " and ";
    }
    if (cursorAt != null) {
      sql.append(joiner).append("(occurred_at, id) < (?, ?)");
      values.add(cursorAt);
      values.add(query.before().getAsLong());
    }
    sql.append(" order by occurred_at desc, id desc");
    if (limit != Long.MAX_VALUE) {
      sql.append(" limit ?");
      values.add(limit);
    }
    return new Select(sql.toString(), values);
  }

  /** A select's text, made of fixed fragments only, and the values bound to its parameters in order. */
  record Select(String sql, List<Object> values) {
    void bind(PreparedStatement statement, Dialect dialect) throws SQLException {
      for (int i = 0; i < values.size(); i++) {
        Object value = values.get(i);
        if (value instanceof Instant at) {
          dialect.setInstant(statement, i + 1, at);
        } else if (value instanceof Long number) {
          statement.setLong(i + 1, number);
        } else {
          statement.setString(i + 1, (String) value);
        }
      }
    }
  }

  /** {@code text} as a LIKE pattern that matches it literally: %, _ and the backslash are escaped. */
  static String escapeLike(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' || c == '_' || c == '\\') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }

  private static AuditEntry read(Dialect dialect, ResultSet row) throws SQLException {
    return new AuditEntry(row.getLong("id"), dialect.instant(row, "occurred_at"), row.getString("kind"),
        row.getString("actor"), nullableLong(row, "notification_id"), nullableLong(row, "alert_id"),
        nullableLong(row, "remediation_id"), row.getString("fingerprint"), row.getString("alertname"),
        row.getString("rule_name"), row.getString("action"), row.getString("target"), row.getString("outcome"),
        Canonical.objectMap(row.getString("detail")));
  }

  private static Long nullableLong(ResultSet row, String column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }
}
