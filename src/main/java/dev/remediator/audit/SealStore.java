package dev.remediator.audit;

import dev.remediator.json.Canonical;
import dev.remediator.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The SQL of the audit chain: the chain's mode record, its links, its anchor, and events read
 * back exactly as written. Inserts only; the one delete is retention's, of whole segments below
 * an anchor it has just recorded (the append-only triggers allow nothing else).
 */
final class SealStore {
  private static final String LOCK = "select name from maintenance_lock where name = 'audit_chain'";
  private static final String EVENT_COLUMNS = "e.id, e.occurred_at, e.kind, e.actor, e.notification_id, e.alert_id, "
      + "e.remediation_id, e.fingerprint, e.alertname, e.rule_name, e.action, e.target, e.outcome, e.detail";
  private static final String UNSEALED_POSTGRES = "select " + EVENT_COLUMNS + " from audit_event e"
      + " where e.txid >= cast(? as xid8)"
      + " and not exists (select 1 from audit_seal s where s.event_id = e.id) order by e.id limit ?";
  private static final String UNSEALED_SQLITE = "select " + EVENT_COLUMNS + " from audit_event e"
      + " where e.id > coalesce((select max(event_id) from audit_seal), 0) order by e.id limit ?";
  private static final String LINKS = "select s.seq, s.event_id, s.prev_hash, s.hash, " + EVENT_COLUMNS
      + " from audit_seal s left join audit_event e on e.id = s.event_id where s.seq > ? order by s.seq limit ?";

  /** How the chain was sealed, as recorded by its first seal. */
  record Chain(String mode, String keyCheck) {}

  /** A link and the event it seals as read now: absent when deleted, unreadable when its row was mangled. */
  record Link(long seq, long eventId, String prevHash, String hash, Optional<StoredEvent> event) {}

  /** An event as its row holds it; {@code canonical} is empty with a {@code problem} when the row cannot be read. */
  record StoredEvent(long id, Optional<AuditEvent> event, String problem) {
    String canonical() {
      return event.map(AuditEvent::canonical).orElseThrow();
    }
  }

  /** The chain's lock; false when another replica holds it (PostgreSQL skips locked rows). */
  boolean lock(Connection connection) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(LOCK + Dialect.of(connection).lockForClaim());
         ResultSet held = lock.executeQuery()) {
      return held.next();
    }
  }

  Optional<Chain> chain(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("select mode, key_check from audit_chain");
         ResultSet row = select.executeQuery()) {
      return row.next() ? Optional.of(new Chain(row.getString(1), row.getString(2))) : Optional.empty();
    }
  }

  void createChain(Connection connection, ChainKey key, Instant at) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "insert into audit_chain (id, mode, key_check, created_at) values (1, ?, ?, ?)")) {
      insert.setString(1, key.mode().wireName());
      insert.setString(2, key.check());
      Dialect.of(connection).setInstant(insert, 3, at);
      insert.executeUpdate();
    }
  }

  /** The newest link, if any. */
  Optional<ChainHead> head(Connection connection) throws SQLException {
    return oneHead(connection, "select seq, hash from audit_seal order by seq desc limit 1");
  }

  /** What the next link follows: the newest link, else the anchor, else the start of a new chain. */
  ChainHead tip(Connection connection) throws SQLException {
    Optional<ChainHead> head = head(connection);
    return head.isPresent() ? head.get() : anchor(connection).orElse(ChainHead.START);
  }

  /** The newest anchor, where the chain now starts, if retention ever cut it. */
  Optional<ChainHead> anchor(Connection connection) throws SQLException {
    return oneHead(connection, "select seq, hash from audit_anchor order by seq desc limit 1");
  }

  private static Optional<ChainHead> oneHead(Connection connection, String sql) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql); ResultSet row = select.executeQuery()) {
      return row.next() ? Optional.of(new ChainHead(row.getLong(1), row.getString(2))) : Optional.empty();
    }
  }

  /**
   * Events to seal next, in id order, with where the scan started (PostgreSQL only): the next
   * scan starts at {@code horizon} once all of them are sealed, else at {@code from} again.
   */
  record Unsealed(List<StoredEvent> events, String from, String horizon) {}

  /**
   * Up to {@code limit} committed events not yet sealed, in id order. On PostgreSQL the scan starts
   * at the transaction horizon the last seal recorded: every event of an older transaction was
   * visible to that seal and is sealed already, whatever its id. The horizon recorded now is taken
   * before the scan, so every event the scan cannot see yet is at or past it.
   */
  Unsealed unsealed(Connection connection, int limit) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    if (dialect == Dialect.SQLITE) {
      try (PreparedStatement select = connection.prepareStatement(UNSEALED_SQLITE)) {
        select.setInt(1, limit);
        return new Unsealed(events(select, dialect), null, null);
      }
    }
    String from = text(connection, "select scan_from::text from audit_seal order by seq desc limit 1", "0");
    String horizon = text(connection, "select pg_snapshot_xmin(pg_current_snapshot())::text", null);
    try (PreparedStatement select = connection.prepareStatement(UNSEALED_POSTGRES)) {
      select.setString(1, from);
      select.setInt(2, limit);
      List<StoredEvent> events = events(select, dialect);
      // A full batch may have left events of the range behind: scan it again next time.
      return new Unsealed(events, from, events.size() < limit ? horizon : from);
    }
  }

  private static String text(Connection connection, String sql, String otherwise) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
      return row.next() ? row.getString(1) : otherwise;
    }
  }

  private static List<StoredEvent> events(PreparedStatement select, Dialect dialect) throws SQLException {
    List<StoredEvent> events = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        events.add(event(rows, dialect));
      }
    }
    return events;
  }

  void insert(Connection connection, List<Link> links, String scanFrom) throws SQLException {
    boolean postgres = Dialect.of(connection) == Dialect.POSTGRES;
    String sql = postgres
        ? "insert into audit_seal (seq, event_id, prev_hash, hash, scan_from) values (?, ?, ?, ?, cast(? as xid8))"
        : "insert into audit_seal (seq, event_id, prev_hash, hash) values (?, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      for (Link link : links) {
        insert.setLong(1, link.seq());
        insert.setLong(2, link.eventId());
        insert.setString(3, link.prevHash());
        insert.setString(4, link.hash());
        if (postgres) {
          insert.setString(5, scanFrom);
        }
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** Up to {@code limit} links after {@code afterSeq}, in seq order, each with its event as stored now. */
  List<Link> links(Connection connection, long afterSeq, int limit) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement select = connection.prepareStatement(LINKS)) {
      select.setLong(1, afterSeq);
      select.setInt(2, limit);
      List<Link> links = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          rows.getLong("id");
          Optional<StoredEvent> event = rows.wasNull() ? Optional.empty() : Optional.of(event(rows, dialect));
          links.add(new Link(rows.getLong("seq"), rows.getLong("event_id"), rows.getString("prev_hash"),
              rows.getString("hash"), event));
        }
      }
      return links;
    }
  }

  /** Committed events that no link seals yet. */
  long unsealedCount(Connection connection) throws SQLException {
    return Long.parseLong(text(connection, "select count(*) from audit_event e"
        + " where not exists (select 1 from audit_seal s where s.event_id = e.id)", "0"));
  }

  /** Records that the chain now starts after {@code anchor}, which sealed the last of {@code events} deleted events. */
  void anchor(Connection connection, ChainHead anchor, long events, Instant at) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "insert into audit_anchor (seq, hash, events, anchored_at) values (?, ?, ?, ?)")) {
      insert.setLong(1, anchor.seq());
      insert.setString(2, anchor.hash());
      insert.setLong(3, events);
      Dialect.of(connection).setInstant(insert, 4, at);
      insert.executeUpdate();
    }
  }

  /** Deletes the links after {@code from} up to {@code through} and their events; the anchor must be recorded first. */
  int deleteSegment(Connection connection, long from, long through) throws SQLException {
    try (PreparedStatement events = connection.prepareStatement("delete from audit_event where id in"
             + " (select event_id from audit_seal where seq > ? and seq <= ?)");
         PreparedStatement links = connection.prepareStatement("delete from audit_seal where seq > ? and seq <= ?")) {
      events.setLong(1, from);
      events.setLong(2, through);
      int deleted = events.executeUpdate();
      links.setLong(1, from);
      links.setLong(2, through);
      links.executeUpdate();
      return deleted;
    }
  }

  /** The event of the current row; a row hand-edited into something unreadable becomes a problem, not an exception. */
  private static StoredEvent event(ResultSet row, Dialect dialect) throws SQLException {
    long id = row.getLong("id");
    try {
      AuditEvent event = new AuditEvent(dialect.instant(row, "occurred_at"),
          AuditEvent.Kind.valueOf(row.getString("kind").toUpperCase(Locale.ROOT)), row.getString("actor"),
          nullableLong(row, "notification_id"), nullableLong(row, "alert_id"), nullableLong(row, "remediation_id"),
          row.getString("fingerprint"), row.getString("alertname"), row.getString("rule_name"),
          row.getString("action"), row.getString("target"), row.getString("outcome"),
          Canonical.objectMap(row.getString("detail")));
      return new StoredEvent(id, Optional.of(event), null);
    } catch (IllegalArgumentException | NullPointerException | SQLException e) {
      return new StoredEvent(id, Optional.empty(), "event " + id + " cannot be read: " + e.getMessage());
    }
  }

  private static Long nullableLong(ResultSet row, String column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }
}
