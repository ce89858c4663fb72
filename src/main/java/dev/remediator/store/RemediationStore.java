package dev.remediator.store;

import dev.remediator.audit.Canonical;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The remediation table: decisions (unique per rule, fingerprint and startsAt), the counts that
 * cooldowns and rate limits read, and the work queue that workers claim from. Every method runs
 * in the caller's transaction.
 */
public final class RemediationStore {
  private static final String INSERT = """
      insert into remediation (rule_name, fingerprint, starts_at, alert_id, alertname, action, target, group_key,
                               state, reason, params, counts, decided_at, not_before)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      on conflict do nothing""";
  private static final String LAST_COUNTED =
      "select max(decided_at) from remediation where rule_name = ? and group_key = ? and counts";
  // Ordered like the partial indexes, so the planner walks the index newest first and stops at
  // the cap; a bare LIMIT tempts it into a sequential scan of every uncounted row.
  private static final String COUNTED_FOR_RULE = "select count(*) from (select 1 from remediation "
      + "where rule_name = ? and counts and decided_at > ? order by decided_at desc limit ?) counted";
  private static final String COUNTED_ALL = "select count(*) from (select 1 from remediation "
      + "where counts and decided_at > ? order by decided_at desc limit ?) counted";
  private static final String UNSTARTED_FOR_ALERT = """
      select id, rule_name, action, target from remediation
      where fingerprint = ? and starts_at = ? and state in ('pending', 'awaiting_approval') for update""";
  private static final String CANCEL =
      "update remediation set state = 'cancelled', counts = false, finished_at = ?, reason = ? where id = ?";
  private static final String DUE = """
      select id from remediation where state = 'pending' and not_before <= ? order by id limit ?""";
  private static final String MARK_RUNNING = """
      update remediation set state = 'running', claimed_by = ?, started_at = ?, lease_until = ?, attempts = attempts + 1
      where id = ?""";
  private static final String CLAIMED = "select r.id as remediation_id, r.rule_name, r.action, r.target, r.params, "
      + "r.attempts, " + AlertRows.COLUMNS + " from remediation r join alert a on a.id = r.alert_id where r.id = ?";
  private static final String RESOLVED = """
      select count(*) from alert where fingerprint = ? and starts_at = ? and status = 'resolved'""";
  private static final String FINISH = """
      update remediation set state = ?, finished_at = ?, duration_ms = ?, output = ?, error = ?, lease_until = null
      where id = ?""";
  private static final String RESCHEDULE = """
      update remediation set state = 'pending', not_before = ?, error = ?, lease_until = null, claimed_by = null
      where id = ?""";
  private static final String EXPIRED_RUNNING =
      "select id from remediation where state = 'running' and lease_until < ? for update";
  private static final String INTERRUPT = """
      update remediation set state = 'interrupted', finished_at = ?, error = ?, lease_until = null where id = ?""";
  private static final String BY_STATE = "select state, count(*) from remediation group by state";

  /** Stores the decision unless one exists for the same key; returns the new id, if any. */
  public OptionalLong insert(Connection connection, NewRemediation decision) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT, new String[] {"id"})) {
      insert.setString(1, decision.rule());
      insert.setString(2, decision.alert().alert().fingerprint());
      insert.setObject(3, NotificationStore.utc(decision.alert().alert().startsAt()));
      insert.setLong(4, decision.alert().id());
      insert.setString(5, decision.alert().alert().alertname());
      insert.setString(6, decision.action());
      insert.setString(7, decision.target());
      insert.setString(8, decision.groupKey());
      insert.setString(9, decision.state().wireName());
      insert.setString(10, decision.reason());
      insert.setString(11, Canonical.json(decision.params()));
      insert.setBoolean(12, decision.counts());
      insert.setObject(13, NotificationStore.utc(decision.decidedAt()));
      insert.setObject(14, NotificationStore.utc(decision.decidedAt()));
      if (insert.executeUpdate() == 0) {
        return OptionalLong.empty();
      }
      try (ResultSet keys = insert.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new SQLException("the store inserted a remediation but returned no id");
        }
        return OptionalLong.of(keys.getLong(1));
      }
    }
  }

  /** When this rule last decided to act for this cooldown group, if ever. */
  public Optional<Instant> lastCounted(Connection connection, String rule, String groupKey) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(LAST_COUNTED)) {
      select.setString(1, rule);
      select.setString(2, groupKey);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return Optional.ofNullable(row.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
      }
    }
  }

  /**
   * How many decisions to act were made after {@code since}, for one rule or (rule null) all,
   * counting no further than {@code cap}: a limit only needs to know whether it is reached.
   */
  public long countedSince(Connection connection, String rule, Instant since, int cap) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(rule == null ? COUNTED_ALL : COUNTED_FOR_RULE)) {
      int index = 1;
      if (rule != null) {
        select.setString(index++, rule);
      }
      select.setObject(index++, NotificationStore.utc(since));
      select.setInt(index, cap);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  /** Cancels what has not started for this alert occurrence; returns what was cancelled. */
  public List<Cancelled> cancelUnstarted(Connection connection, String fingerprint, Instant startsAt, Instant at,
                                         String reason) throws SQLException {
    List<Cancelled> cancelled = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(UNSTARTED_FOR_ALERT)) {
      select.setString(1, fingerprint);
      select.setObject(2, NotificationStore.utc(startsAt));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          cancelled.add(new Cancelled(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4)));
        }
      }
    }
    try (PreparedStatement update = connection.prepareStatement(CANCEL)) {
      for (Cancelled c : cancelled) {
        update.setObject(1, NotificationStore.utc(at));
        update.setString(2, reason);
        update.setLong(3, c.id());
        update.addBatch();
      }
      if (!cancelled.isEmpty()) {
        update.executeBatch();
      }
    }
    return cancelled;
  }

  /**
   * Claims up to {@code limit} due remediations for {@code worker}: marks them running with a
   * lease. On PostgreSQL other replicas skip the rows this transaction has locked.
   */
  public List<ClaimedRemediation> claimDue(Connection connection, Dialect dialect, String worker, Instant now,
                                           Duration lease, int limit) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(DUE + dialect.lockForClaim())) {
      select.setObject(1, NotificationStore.utc(now));
      select.setInt(2, limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getLong(1));
        }
      }
    }
    if (ids.isEmpty()) {
      return List.of();
    }
    try (PreparedStatement update = connection.prepareStatement(MARK_RUNNING)) {
      for (long id : ids) {
        update.setString(1, worker);
        update.setObject(2, NotificationStore.utc(now));
        update.setObject(3, NotificationStore.utc(now.plus(lease)));
        update.setLong(4, id);
        update.addBatch();
      }
      update.executeBatch();
    }
    List<ClaimedRemediation> claimed = new ArrayList<>(ids.size());
    try (PreparedStatement select = connection.prepareStatement(CLAIMED)) {
      for (long id : ids) {
        select.setLong(1, id);
        try (ResultSet row = select.executeQuery()) {
          row.next();
          claimed.add(new ClaimedRemediation(row.getLong("remediation_id"), row.getString("rule_name"),
              row.getString("action"), row.getString("target"), Canonical.objectMap(row.getString("params")),
              row.getInt("attempts"), AlertRows.read(row)));
        }
      }
    }
    return claimed;
  }

  /** True once a resolved notification for this alert occurrence has been stored. */
  public boolean isResolved(Connection connection, String fingerprint, Instant startsAt) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(RESOLVED)) {
      select.setString(1, fingerprint);
      select.setObject(2, NotificationStore.utc(startsAt));
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1) > 0;
      }
    }
  }

  public void finish(Connection connection, long id, RemediationState state, Instant at, Duration took,
                     String output, String error) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(FINISH)) {
      update.setString(1, state.wireName());
      update.setObject(2, NotificationStore.utc(at));
      if (took == null) {
        update.setNull(3, Types.BIGINT);
      } else {
        update.setLong(3, took.toMillis());
      }
      update.setString(4, output);
      update.setString(5, error);
      update.setLong(6, id);
      update.executeUpdate();
    }
  }

  /** Puts a claimed remediation back in the queue to run again at {@code notBefore}. */
  public void reschedule(Connection connection, long id, Instant notBefore, String error) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(RESCHEDULE)) {
      update.setObject(1, NotificationStore.utc(notBefore));
      update.setString(2, error);
      update.setLong(3, id);
      update.executeUpdate();
    }
  }

  /** Marks running remediations whose lease ends before {@code leaseEndsBefore} interrupted. */
  public List<Long> interruptExpired(Connection connection, Instant leaseEndsBefore, Instant now, String reason)
      throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(EXPIRED_RUNNING)) {
      select.setObject(1, NotificationStore.utc(leaseEndsBefore));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getLong(1));
        }
      }
    }
    interrupt(connection, ids, now, reason);
    return ids;
  }

  /** Marks the given running remediations interrupted (work released at shutdown). */
  public void interrupt(Connection connection, List<Long> ids, Instant now, String reason) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(INTERRUPT)) {
      for (long id : ids) {
        update.setObject(1, NotificationStore.utc(now));
        update.setString(2, reason);
        update.setLong(3, id);
        update.addBatch();
      }
      if (!ids.isEmpty()) {
        update.executeBatch();
      }
    }
  }

  public Map<RemediationState, Long> countByState(Connection connection) throws SQLException {
    Map<RemediationState, Long> counts = new EnumMap<>(RemediationState.class);
    try (PreparedStatement select = connection.prepareStatement(BY_STATE); ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        counts.put(RemediationState.fromWire(rows.getString(1)), rows.getLong(2));
      }
    }
    return counts;
  }

  /** A remediation cancelled because its alert resolved before it started. */
  public record Cancelled(long id, String rule, String action, String target) {}
}
