package dev.remediator.store;

import dev.remediator.json.Canonical;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The remediation table: decisions (unique per rule, fingerprint and startsAt). What cooldowns and
 * rate limits count is read through {@link RemediationLedger}; the queue that workers claim from is
 * {@link RemediationQueue}. Every method runs in the caller's transaction.
 *
 * <p>An occurrence is decided once per rule, unless an operator forces a replay: each forced
 * replay is the next replay generation of the occurrence, keyed at its startsAt plus that many
 * microseconds ({@link #keyOf}), so the unique key still admits every generation exactly once.
 */
public final class RemediationStore {
  private static final String INSERT = """
      insert into remediation (rule_name, fingerprint, starts_at, alert_id, alertname, action, target, group_key,
                               state, reason, params, counts, counts_dry_run, decided_at, not_before, expires_at,
                               replay_generation, replay_of)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      on conflict do nothing""";
  /** Every generation of one occurrence lies in [startsAt, startsAt + MAX_GENERATION µs]; rows are checked exactly after. */
  private static final String UNSTARTED_FOR_ALERT = """
      select id, rule_name, action, target, starts_at, replay_generation from remediation
      where fingerprint = ? and starts_at >= ? and starts_at <= ? and state in ('pending', 'awaiting_approval', 'rechecking')""";
  private static final String FOR_OCCURRENCE = """
      select id, state, starts_at, replay_generation from remediation
      where rule_name = ? and fingerprint = ? and starts_at >= ? and starts_at <= ?
      order by replay_generation""";
  private static final String CANCEL =
      "update remediation set state = 'cancelled', counts = false, finished_at = ?, reason = ? where id = ?";
  private static final String APPROVE = """
      update remediation set state = 'pending', not_before = ?, reason = ?
      where id = ? and state = 'awaiting_approval'""";
  private static final String REJECT = """
      update remediation set state = 'rejected', counts = false, finished_at = ?, reason = ?
      where id = ? and state = 'awaiting_approval'""";
  private static final String ONE = """
      select id, rule_name, action, target, state, alert_id, fingerprint, alertname from remediation where id = ?""";
  private static final String DUE_TO_EXPIRE = """
      select id, rule_name, action, target, alert_id, fingerprint, alertname, expires_at from remediation
      where state = 'awaiting_approval' and expires_at <= ?""";
  private static final String EXPIRE = """
      update remediation set state = 'expired', counts = false, finished_at = ?, reason = ?
      where id = ? and state = 'awaiting_approval'""";
  private static final String RECHECKS_DUE = "select r.id as remediation_id, r.rule_name, r.action, r.target,"
      + " r.group_key, r.params, " + AlertRows.COLUMNS + " from remediation r join alert a on a.id = r.alert_id"
      + " where r.state = 'rechecking' order by r.id limit ?";
  private static final String UNCOUNT = """
      update remediation set counts = false, counts_dry_run = false where id = ? and state = 'rechecking'""";
  private static final String REDECIDE = """
      update remediation set state = ?, reason = ?, counts = ?, counts_dry_run = ?, decided_at = ?, not_before = ?,
      expires_at = ? where id = ? and state = 'rechecking'""";
  private static final String BY_STATE = "select state, count(*) from remediation group by state";

  /** The most forced replays one (rule, occurrence) may have. */
  public static final int MAX_GENERATION = 999;

  /** One remediation of an occurrence under one rule: which replay generation, and its state now. */
  public record Generation(long id, RemediationState state, int number) {}

  /** The key in {@code remediation_once} of replay generation {@code generation} of an occurrence. */
  public static Instant keyOf(Instant startsAt, int generation) {
    if (generation < 0 || generation > MAX_GENERATION) {
      throw new IllegalArgumentException("replay generation must be 0 to " + MAX_GENERATION + ", but was "
          + generation);
    }
    return startsAt.truncatedTo(ChronoUnit.MICROS).plus(generation, ChronoUnit.MICROS);
  }

  /** Stores the decision unless one exists for the same key; returns the new id, if any. */
  public OptionalLong insert(Connection connection, NewRemediation decision) throws SQLException {
    return insert(connection, decision, 0, null);
  }

  /**
   * Stores a forced replay's decision as generation {@code generation} of its occurrence, naming
   * the remediation {@code replayOf} it decides again; empty when that generation exists already.
   */
  public OptionalLong insertReplay(Connection connection, NewRemediation decision, int generation, long replayOf)
      throws SQLException {
    if (generation < 1) {
      throw new IllegalArgumentException("a forced replay is generation 1 or later, but was " + generation);
    }
    return insert(connection, decision, generation, replayOf);
  }

  private OptionalLong insert(Connection connection, NewRemediation decision, int generation, Long replayOf)
      throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement insert = connection.prepareStatement(INSERT, new String[] {"id"})) {
      insert.setString(1, decision.rule());
      insert.setString(2, decision.alert().alert().fingerprint());
      dialect.setInstant(insert, 3, keyOf(decision.alert().alert().startsAt(), generation));
      insert.setLong(4, decision.alert().id());
      insert.setString(5, decision.alert().alert().alertname());
      insert.setString(6, decision.action());
      insert.setString(7, decision.target());
      insert.setString(8, decision.groupKey());
      insert.setString(9, decision.state().wireName());
      insert.setString(10, decision.reason());
      insert.setString(11, Canonical.json(decision.params()));
      insert.setBoolean(12, decision.counts() && decision.budget() == Ledger.Budget.LIVE);
      insert.setBoolean(13, decision.counts() && decision.budget() == Ledger.Budget.DRY_RUN);
      dialect.setInstant(insert, 14, decision.decidedAt());
      dialect.setInstant(insert, 15, decision.decidedAt());
      dialect.setInstant(insert, 16, decision.expiresAt());
      insert.setInt(17, generation);
      insert.setObject(18, replayOf);
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

  /**
   * Every remediation of the occurrence ({@code fingerprint}, {@code startsAt}) under {@code rule},
   * by replay generation: empty when the rule never decided it.
   */
  public List<Generation> generations(Connection connection, String rule, String fingerprint, Instant startsAt)
      throws SQLException {
    Dialect dialect = Dialect.of(connection);
    List<Generation> found = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(FOR_OCCURRENCE)) {
      select.setString(1, rule);
      select.setString(2, fingerprint);
      dialect.setInstant(select, 3, keyOf(startsAt, 0));
      dialect.setInstant(select, 4, keyOf(startsAt, MAX_GENERATION));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          int number = rows.getInt("replay_generation");
          if (ofOccurrence(dialect, rows, startsAt, number)) {
            found.add(new Generation(rows.getLong("id"), RemediationState.fromWire(rows.getString("state")), number));
          }
        }
      }
    }
    return found;
  }

  /** Whether a row found in an occurrence's key range is one of its generations, not a neighbour's. */
  private static boolean ofOccurrence(Dialect dialect, ResultSet row, Instant startsAt, int generation)
      throws SQLException {
    return generation >= 0 && generation <= MAX_GENERATION
        && keyOf(startsAt, generation).equals(dialect.instant(row, "starts_at"));
  }

  /** Cancels what has not started for this alert occurrence, every replay generation of it; returns what was cancelled. */
  public List<RemediationRef> cancelUnstarted(Connection connection, String fingerprint, Instant startsAt, Instant at,
                                         String reason) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    List<RemediationRef> cancelled = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(UNSTARTED_FOR_ALERT + dialect.lockForUpdate())) {
      select.setString(1, fingerprint);
      dialect.setInstant(select, 2, keyOf(startsAt, 0));
      dialect.setInstant(select, 3, keyOf(startsAt, MAX_GENERATION));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          if (ofOccurrence(dialect, rows, startsAt, rows.getInt("replay_generation"))) {
            cancelled.add(ref(rows));
          }
        }
      }
    }
    try (PreparedStatement update = connection.prepareStatement(CANCEL)) {
      for (RemediationRef c : cancelled) {
        dialect.setInstant(update, 1, at);
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
   * Moves remediation {@code id} from {@code awaiting_approval} to {@code pending}, due at {@code at}, so a
   * worker claims it. Applies only while it is still awaiting approval: of two concurrent approvals
   * exactly one moves it, and the other sees the state it left.
   */
  public ApprovalOutcome approve(Connection connection, long id, Instant at, String reason) throws SQLException {
    return transition(connection, APPROVE, RemediationState.PENDING, id, at, reason);
  }

  /** Moves remediation {@code id} from {@code awaiting_approval} to the terminal {@code rejected}; it never runs. */
  public ApprovalOutcome reject(Connection connection, long id, Instant at, String reason) throws SQLException {
    return transition(connection, REJECT, RemediationState.REJECTED, id, at, reason);
  }

  private ApprovalOutcome transition(Connection connection, String sql, RemediationState to, long id, Instant at,
                                     String reason) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    int moved;
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      dialect.setInstant(update, 1, at);
      update.setString(2, reason);
      update.setLong(3, id);
      moved = update.executeUpdate();
    }
    try (PreparedStatement select = connection.prepareStatement(ONE)) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return new ApprovalOutcome.NotFound(id);
        }
        if (moved == 0) {
          return new ApprovalOutcome.NotAwaiting(id, RemediationState.fromWire(row.getString(5)));
        }
        return new ApprovalOutcome.Moved(ref(row), to, row.getLong(6), row.getString(7), row.getString(8));
      }
    }
  }

  /**
   * Moves up to {@code limit} remediations whose approval expired by {@code now} (or only
   * remediation {@code only}, when given) from {@code awaiting_approval} to the terminal
   * {@code expired}; returns those this call moved. The update is conditional, so of two
   * replicas (or an expiry and an approval) racing for one remediation exactly one moves it.
   */
  public List<ExpiredApproval> expireDue(Connection connection, Instant now, OptionalLong only, int limit)
      throws SQLException {
    Dialect dialect = Dialect.of(connection);
    List<ExpiredApproval> due = new ArrayList<>();
    String sql = DUE_TO_EXPIRE + (only.isPresent() ? " and id = ?" : "") + " order by expires_at, id limit ?"
        + dialect.lockForClaim();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      int index = 1;
      dialect.setInstant(select, index++, now);
      if (only.isPresent()) {
        select.setLong(index++, only.getAsLong());
      }
      select.setInt(index, limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          long alertId = rows.getLong(5);
          due.add(new ExpiredApproval(ref(rows), rows.wasNull() ? null : alertId, rows.getString(6),
              rows.getString(7), dialect.instant(rows, "expires_at")));
        }
      }
    }
    List<ExpiredApproval> moved = new ArrayList<>(due.size());
    try (PreparedStatement update = connection.prepareStatement(EXPIRE)) {
      for (ExpiredApproval expired : due) {
        dialect.setInstant(update, 1, now);
        update.setString(2, "nobody approved it before " + expired.expiresAt());
        update.setLong(3, expired.remediation().id());
        if (update.executeUpdate() == 1) {
          moved.add(expired);
        }
      }
    }
    return moved;
  }

  /** Up to {@code limit} remediations waiting to be decided again, oldest first. */
  public List<RecheckDue> rechecksDue(Connection connection, int limit) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    List<RecheckDue> due = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(RECHECKS_DUE)) {
      select.setInt(1, limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          due.add(new RecheckDue(new RemediationRef(rows.getLong("remediation_id"), rows.getString("rule_name"),
              rows.getString("action"), rows.getString("target")), rows.getString("group_key"),
              Canonical.objectMap(rows.getString("params")), AlertRows.read(dialect, rows)));
        }
      }
    }
    return due;
  }

  /**
   * Stops counting remediation {@code id} in cooldowns and rate limits while it waits to be decided
   * again, so the guards asked about it do not count it against itself; false when it no longer
   * waits (decided again, or cancelled, meanwhile).
   */
  public boolean uncountRecheck(Connection connection, long id) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(UNCOUNT)) {
      update.setLong(1, id);
      return update.executeUpdate() == 1;
    }
  }

  /**
   * Writes {@code decision} over remediation {@code id}, which waited to be decided again: its new
   * state, reason, counts and decision time (a pending one is due at once); false when it no
   * longer waits.
   */
  public boolean redecide(Connection connection, long id, NewRemediation decision) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement update = connection.prepareStatement(REDECIDE)) {
      update.setString(1, decision.state().wireName());
      update.setString(2, decision.reason());
      update.setBoolean(3, decision.counts() && decision.budget() == Ledger.Budget.LIVE);
      update.setBoolean(4, decision.counts() && decision.budget() == Ledger.Budget.DRY_RUN);
      dialect.setInstant(update, 5, decision.decidedAt());
      dialect.setInstant(update, 6, decision.decidedAt());
      dialect.setInstant(update, 7, decision.expiresAt());
      update.setLong(8, id);
      return update.executeUpdate() == 1;
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

  /** Reads {@code id, rule_name, action, target}, in that order. */
  private static RemediationRef ref(ResultSet row) throws SQLException {
    return new RemediationRef(row.getLong(1), row.getString(2), row.getString(3), row.getString(4));
  }
}
