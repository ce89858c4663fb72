package dev.remediator.store;

import dev.remediator.json.Canonical;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The outbox of follow-ups. Outcomes add rows in their own transaction; the loops that drain a
 * kind claim due rows with a lease (a drainer that dies leaves them to the next one once the
 * lease runs out) and mark them done. Every method runs in the caller's transaction.
 */
public final class OutboxStore {
  private static final String INSERT = """
      insert into outbox (remediation_id, kind, due_at, payload, created_at, reason) values (?, ?, ?, ?, ?, ?)""";
  private static final String DUE = """
      select id, remediation_id, kind, due_at, payload, attempts from outbox
      where kind = ? and done_at is null and due_at <= ? and (lease_until is null or lease_until < ?)
      order by due_at, id limit ?""";
  private static final String MARK_CLAIMED = """
      update outbox set claimed_by = ?, lease_until = ?, attempts = attempts + 1 where id = ?""";
  private static final String RETRY_AFTER = "update outbox set lease_until = ? where id = ? and claimed_by = ? and done_at is null";
  private static final String RESCHEDULE = """
      update outbox set due_at = ?, lease_until = null where id = ? and claimed_by = ? and done_at is null""";
  private static final String DONE = "update outbox set done_at = ?, lease_until = null where id = ? and claimed_by = ?";
  private static final String SENT =
      "update outbox set done_at = ?, sent_at = ?, lease_until = null where id = ? and claimed_by = ?";
  private static final String SENT_FOR_SAME_GROUP = """
      select o.sent_at from outbox o
      join remediation sent on sent.id = o.remediation_id
      join remediation mine on mine.rule_name = sent.rule_name and mine.group_key = sent.group_key
      where mine.id = ? and o.kind = 'escalate' and o.sent_at > ? and o.reason not in (%s)
      order by o.sent_at desc limit 1""";

  public void add(Connection connection, FollowUp followUp, Instant now) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      insert.setLong(1, followUp.remediationId());
      insert.setString(2, followUp.kind().wireName());
      dialect.setInstant(insert, 3, followUp.dueAt());
      insert.setString(4, Canonical.json(followUp.payload()));
      dialect.setInstant(insert, 5, now);
      Object reason = followUp.payload().get("reason");
      insert.setString(6, reason == null ? null : reason.toString());
      insert.executeUpdate();
    }
  }

  /**
   * Claims up to {@code limit} due follow-ups of {@code kind} for {@code worker} until
   * {@code now + lease}; rows another drainer has locked are skipped.
   */
  public List<FollowUp> claimDue(Connection connection, Dialect dialect, FollowUp.Kind kind, String worker,
                                 Instant now, Duration lease, int limit) throws SQLException {
    List<FollowUp> due = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(DUE + dialect.lockForClaim())) {
      select.setString(1, kind.wireName());
      dialect.setInstant(select, 2, now);
      dialect.setInstant(select, 3, now);
      select.setInt(4, limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          due.add(new FollowUp(rows.getLong(1), rows.getLong(2), FollowUp.Kind.fromWire(rows.getString(3)),
              dialect.instant(rows, "due_at"), Canonical.objectMap(rows.getString(5)), rows.getInt(6) + 1));
        }
      }
    }
    try (PreparedStatement update = connection.prepareStatement(MARK_CLAIMED)) {
      for (FollowUp followUp : due) {
        update.setString(1, worker);
        dialect.setInstant(update, 2, now.plus(lease));
        update.setLong(3, followUp.id());
        update.addBatch();
      }
      if (!due.isEmpty()) {
        update.executeBatch();
      }
    }
    return due;
  }

  /** Marks a claimed follow-up done; false when {@code worker} no longer holds it. */
  public boolean done(Connection connection, long id, String worker, Instant at) throws SQLException {
    return whileHeld(connection, DONE, at, id, worker);
  }

  /** Marks a claimed follow-up done and sent at {@code at}; false when {@code worker} no longer holds it. */
  public boolean sent(Connection connection, long id, String worker, Instant at) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement update = connection.prepareStatement(SENT)) {
      dialect.setInstant(update, 1, at);
      dialect.setInstant(update, 2, at);
      update.setLong(3, id);
      update.setString(4, worker);
      return update.executeUpdate() == 1;
    }
  }

  /**
   * When an escalation was last sent after {@code since} for the rule and alert group of
   * remediation {@code remediationId}, not counting those sent for one of the {@code ignored}
   * reasons; empty when none was.
   */
  public Optional<Instant> lastSentForSameGroup(Connection connection, long remediationId, Instant since,
                                                Set<String> ignored) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    String placeholders = ignored.isEmpty() ? "''" : String.join(", ", Collections.nCopies(ignored.size(), "?"));
    try (PreparedStatement select = connection.prepareStatement(SENT_FOR_SAME_GROUP.formatted(placeholders))) {
      int index = 1;
      select.setLong(index++, remediationId);
      dialect.setInstant(select, index++, since);
      for (String reason : ignored) {
        select.setString(index++, reason);
      }
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(dialect.instant(row, "sent_at")) : Optional.empty();
      }
    }
  }

  /**
   * Puts a claimed follow-up back, due again at {@code dueAt} (the next poll of a check that has
   * not held yet); false when {@code worker} no longer holds it.
   */
  public boolean reschedule(Connection connection, long id, String worker, Instant dueAt) throws SQLException {
    return whileHeld(connection, RESCHEDULE, dueAt, id, worker);
  }

  /**
   * Leaves a claimed follow-up to be claimed again once {@code until} has passed (a retry with
   * backoff); false when {@code worker} no longer holds it.
   */
  public boolean retryAfter(Connection connection, long id, String worker, Instant until) throws SQLException {
    return whileHeld(connection, RETRY_AFTER, until, id, worker);
  }

  /** Runs one statement of shape (instant, id, worker) that changes a follow-up only while {@code worker} holds it. */
  private static boolean whileHeld(Connection connection, String statement, Instant at, long id, String worker)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(statement)) {
      Dialect.of(connection).setInstant(update, 1, at);
      update.setLong(2, id);
      update.setString(3, worker);
      return update.executeUpdate() == 1;
    }
  }
}
