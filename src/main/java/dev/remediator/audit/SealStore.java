package dev.remediator.audit;

import dev.remediator.json.Canonical;
import dev.remediator.store.Dialect;
import dev.remediator.store.PgArrays;
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
  // Events past the highest one sealed, in id order, and stragglers: events of transactions that
  // were still running at the last seal, whatever their ids. Each half is limited on its own, so
  // each walks an index only as far as it must, however large the table or the backlog.
  private static final String UNSEALED_NEW = "select " + EVENT_COLUMNS + " from audit_event e where e.id > ?"
      + " and not exists (select 1 from audit_seal s where s.event_id = e.id) order by e.id limit ?";
  private static final String UNSEALED_POSTGRES = "select * from ((" + UNSEALED_NEW + ") union (select "
      + EVENT_COLUMNS + " from audit_event e where e.txid >= cast(? as xid8)"
      + " and not exists (select 1 from audit_seal s where s.event_id = e.id) order by e.id limit ?)) e"
      + " order by e.id limit ?";
  private static final String INSERT_UNNEST = "insert into audit_seal (seq, event_id, prev_hash, hash, scan_from)"
      + " select seq, event_id, prev_hash, hash, cast(? as xid8)"
      + " from unnest(?::int8[], ?::int8[], ?::text[], ?::text[]) as l(seq, event_id, prev_hash, hash)";
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
   * Events to seal next, in id order, and what the scan knew (PostgreSQL only): {@code from}, the
   * horizon the last seal recorded, {@code horizon}, the one taken before this scan, and
   * {@code watermark}, the highest event id sealed before it.
   */
  record Unsealed(List<StoredEvent> events, int limit, String from, String horizon, long watermark) {
    /**
     * The horizon to record with the links sealed now, through the event {@code lastSealedId}. The
     * new horizon once every visible straggler is sealed (all events are, or sealing went past the
     * old watermark, below which the stragglers lie); else the old one, to find the rest again.
     */
    String scanFrom(long lastSealedId, int sealed) {
      boolean everything = sealed == events.size() && events.size() < limit;
      return everything || lastSealedId > watermark ? horizon : from;
    }
  }

  /**
   * Up to {@code limit} committed events not yet sealed, in id order. On the embedded store
   * transactions run one at a time, so they are the events past the highest one sealed. On
   * PostgreSQL an event with a lower id may commit after a higher one was sealed; such an event
   * belongs to a transaction at or past the snapshot horizon (xmin) the last seal recorded, so it
   * is found there. The horizon recorded now is taken before the scan: every event the scan
   * cannot see yet is at or past it.
   */
  Unsealed unsealed(Connection connection, int limit) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    long watermark = Long.parseLong(text(connection, "select coalesce(max(event_id), 0) from audit_seal", "0"));
    if (dialect == Dialect.SQLITE) {
      try (PreparedStatement select = connection.prepareStatement(UNSEALED_NEW)) {
        select.setLong(1, watermark);
        select.setInt(2, limit);
        return new Unsealed(events(select, dialect), limit, null, null, watermark);
      }
    }
    String from = text(connection, "select scan_from::text from audit_seal order by seq desc limit 1", "0");
    String horizon = text(connection, "select pg_snapshot_xmin(pg_current_snapshot())::text", null);
    try (PreparedStatement select = connection.prepareStatement(UNSEALED_POSTGRES)) {
      select.setLong(1, watermark);
      select.setInt(2, limit);
      select.setString(3, from);
      select.setInt(4, limit);
      select.setInt(5, limit);
      return new Unsealed(events(select, dialect), limit, from, horizon, watermark);
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

  /** Appends {@code links}; on PostgreSQL as one statement of array parameters, as {@link AuditLog} does. */
  void insert(Connection connection, List<Link> links, String scanFrom) throws SQLException {
    if (Dialect.of(connection) == Dialect.POSTGRES) {
      Long[] seqs = new Long[links.size()];
      Long[] events = new Long[links.size()];
      String[] prevHashes = new String[links.size()];
      String[] hashes = new String[links.size()];
      for (int i = 0; i < links.size(); i++) {
        seqs[i] = links.get(i).seq();
        events[i] = links.get(i).eventId();
        prevHashes[i] = links.get(i).prevHash();
        hashes[i] = links.get(i).hash();
      }
      try (PreparedStatement insert = connection.prepareStatement(INSERT_UNNEST)) {
        insert.setString(1, scanFrom);
        PgArrays.int8(connection, insert, 2, seqs);
        PgArrays.int8(connection, insert, 3, events);
        PgArrays.text(connection, insert, 4, prevHashes);
        PgArrays.text(connection, insert, 5, hashes);
        insert.executeUpdate();
      }
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(
        "insert into audit_seal (seq, event_id, prev_hash, hash) values (?, ?, ?, ?)")) {
      for (Link link : links) {
        insert.setLong(1, link.seq());
        insert.setLong(2, link.eventId());
        insert.setString(3, link.prevHash());
        insert.setString(4, link.hash());
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
