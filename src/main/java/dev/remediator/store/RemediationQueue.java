package dev.remediator.store;

import dev.remediator.json.Canonical;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The remediation table seen as a work queue: claiming due rows with a lease (never more running
 * on one target than its bulkhead allows, counted across replicas), renewing the lease while the
 * action runs, finishing or rescheduling a claim, and interrupting claims whose lease ran out.
 * Writes that end a claim apply only while this worker still holds it, so a claim that a sweep has
 * already interrupted is never overwritten. Every method runs in the caller's transaction.
 */
public final class RemediationQueue {
  /** Due rows, leaving out the targets listed (as a JSON array) that are already full. */
  private static final String DUE = """
      select id, target from remediation where state = 'pending' and not_before <= ?
      and target not in (%s) order by id limit ?""";
  private static final String PG_FULL_TARGETS = "select jsonb_array_elements_text(cast(? as jsonb))";
  private static final String SQLITE_FULL_TARGETS = "select value from json_each(?)";
  private static final String RUNNING_PER_TARGET = """
      select target, count(*) from remediation where state = 'running' group by target""";
  private static final String RUNNING_ON = """
      select count(*) from remediation where state = 'running' and target = ?""";
  /**
   * Serialises claims on one target across replicas until the transaction ends, so two replicas
   * never both see a free slot; the first key keeps these locks apart from any other advisory lock.
   */
  private static final String LOCK_TARGET = "select pg_advisory_xact_lock(1651078505, ?)";
  /** The order targets are locked in: by lock key, which is the name's hash, then by name. */
  private static final Comparator<String> LOCK_ORDER =
      Comparator.comparingInt(String::hashCode).thenComparing(Comparator.naturalOrder());
  private static final String CLAIMED = "select r.id as remediation_id, r.rule_name, r.action, r.target, r.params, "
      + "r.attempts, " + AlertRows.COLUMNS + " from remediation r join alert a on a.id = r.alert_id where r.id = ?";
  private static final String MARK_RUNNING = """
      update remediation set state = 'running', claimed_by = ?, started_at = ?, lease_until = ?, attempts = attempts + 1
      where id = ?""";
  private static final String RENEW = """
      update remediation set lease_until = ? where id = ? and state = 'running' and claimed_by = ?""";
  private static final String RESOLVED = """
      select count(*) from alert where fingerprint = ? and starts_at = ? and status = 'resolved'""";
  private static final String FINISH = """
      update remediation set state = ?, finished_at = ?, duration_ms = ?, output = ?, error = ?, lease_until = null
      where id = ? and state = 'running' and claimed_by = ?""";
  private static final String RESCHEDULE = """
      update remediation set state = 'pending', not_before = ?, error = ?, lease_until = null, claimed_by = null
      where id = ? and state = 'running' and claimed_by = ?""";
  private static final String EXPIRED_RUNNING = """
      select id, rule_name, action, target, claimed_by, alert_id, fingerprint, starts_at, alertname, attempts
      from remediation where state = 'running' and lease_until < ? order by id limit ?""";
  private static final String INTERRUPT = """
      update remediation set state = 'interrupted', finished_at = ?, error = ?, lease_until = null
      where id = ? and state = 'running'""";
  private static final String RECHECK = """
      update remediation set state = 'rechecking', finished_at = null, claimed_by = null
      where id = ? and state = 'interrupted'""";

  /**
   * A claim whose lease ran out, the worker that held it, the alert occurrence it was for and how
   * many attempts it has used (the one that was cut off included).
   */
  public record Expired(RemediationRef remediation, String claimedBy, long alertId, String fingerprint,
                        Instant startsAt, String alertname, int attempts) {}

  /**
   * Claims up to {@code limit} due remediations for {@code worker}: marks them running with the
   * lease {@code leaseFor} gives each, never letting more than {@code concurrencyOf} (by target
   * name) run on one target; what that holds back stays pending, its attempts untouched. On
   * PostgreSQL other replicas skip the rows this transaction has locked instead of waiting for
   * them, and wait only for the short per-target lock under which the running ones are counted.
   */
  public List<ClaimedRemediation> claimDue(Connection connection, Dialect dialect, String worker, Instant now,
                                           Function<ClaimedRemediation, Duration> leaseFor, int limit,
                                           ToIntFunction<String> concurrencyOf) throws SQLException {
    Map<String, List<Long>> dueByTarget = due(connection, dialect, now, limit, full(connection, concurrencyOf));
    List<Long> ids = new ArrayList<>();
    for (Map.Entry<String, List<Long>> due : dueByTarget.entrySet()) {
      int free = concurrencyOf.applyAsInt(due.getKey()) - runningOn(connection, dialect, due.getKey());
      ids.addAll(due.getValue().subList(0, Math.max(0, Math.min(free, due.getValue().size()))));
    }
    if (ids.isEmpty()) {
      return List.of();
    }
    ids.sort(null);
    List<ClaimedRemediation> claimed = new ArrayList<>(ids.size());
    try (PreparedStatement select = connection.prepareStatement(CLAIMED)) {
      for (long id : ids) {
        select.setLong(1, id);
        try (ResultSet row = select.executeQuery()) {
          row.next();
          claimed.add(claimed(dialect, row, true));
        }
      }
    }
    try (PreparedStatement update = connection.prepareStatement(MARK_RUNNING)) {
      for (ClaimedRemediation c : claimed) {
        update.setString(1, worker);
        dialect.setInstant(update, 2, now);
        dialect.setInstant(update, 3, now.plus(leaseFor.apply(c)));
        update.setLong(4, c.id());
        update.addBatch();
      }
      update.executeBatch();
    }
    return claimed;
  }

  /** Claims with the same lease for every row and no limit per target. */
  public List<ClaimedRemediation> claimDue(Connection connection, Dialect dialect, String worker, Instant now,
                                           Duration lease, int limit) throws SQLException {
    return claimDue(connection, dialect, worker, now, c -> lease, limit, target -> Integer.MAX_VALUE);
  }

  /** The targets with as many running as they allow, as a JSON array; read without locks, as a first filter. */
  private static String full(Connection connection, ToIntFunction<String> concurrencyOf) throws SQLException {
    List<String> full = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(RUNNING_PER_TARGET);
         ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        if (rows.getLong(2) >= concurrencyOf.applyAsInt(rows.getString(1))) {
          full.add(rows.getString(1));
        }
      }
    }
    return Canonical.json(full);
  }

  /** Up to {@code limit} due ids not on a {@code full} target, locked for claiming, by target in lock order. */
  private static Map<String, List<Long>> due(Connection connection, Dialect dialect, Instant now, int limit,
                                             String full) throws SQLException {
    String sql = DUE.formatted(dialect == Dialect.POSTGRES ? PG_FULL_TARGETS : SQLITE_FULL_TARGETS);
    Map<String, List<Long>> byTarget = new TreeMap<>(LOCK_ORDER);
    try (PreparedStatement select = connection.prepareStatement(sql + dialect.lockForClaim())) {
      dialect.setInstant(select, 1, now);
      select.setString(2, full);
      select.setInt(3, limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          byTarget.computeIfAbsent(rows.getString(2), target -> new ArrayList<>()).add(rows.getLong(1));
        }
      }
    }
    return byTarget;
  }

  /**
   * How many run on {@code target} now. On PostgreSQL it first takes the target's lock, in
   * {@link #LOCK_ORDER} (so two claimers never wait on each other in a cycle), and holds it to
   * the end of the transaction: a replica claiming on the same target meanwhile waits, then counts
   * these claims too. The embedded store runs one transaction at a time and needs no lock.
   */
  private static int runningOn(Connection connection, Dialect dialect, String target) throws SQLException {
    if (dialect == Dialect.POSTGRES) {
      try (PreparedStatement lock = connection.prepareStatement(LOCK_TARGET)) {
        lock.setInt(1, target.hashCode());
        lock.executeQuery().close();
      }
    }
    try (PreparedStatement count = connection.prepareStatement(RUNNING_ON)) {
      count.setString(1, target);
      try (ResultSet row = count.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    }
  }

  /**
   * Extends the lease of the claims {@code worker} still holds to {@code until}; returns the
   * ids it no longer holds (finished, or interrupted by a sweep after its lease ran out).
   */
  public List<Long> renew(Connection connection, String worker, Collection<Long> ids, Instant until)
      throws SQLException {
    Dialect dialect = Dialect.of(connection);
    List<Long> lost = new ArrayList<>();
    try (PreparedStatement update = connection.prepareStatement(RENEW)) {
      for (long id : ids) {
        dialect.setInstant(update, 1, until);
        update.setLong(2, id);
        update.setString(3, worker);
        if (update.executeUpdate() == 0) {
          lost.add(id);
        }
      }
    }
    return lost;
  }

  /** True once a resolved notification for this alert occurrence has been stored. */
  public boolean isResolved(Connection connection, String fingerprint, Instant startsAt) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement select = connection.prepareStatement(RESOLVED)) {
      select.setString(1, fingerprint);
      dialect.setInstant(select, 2, startsAt);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1) > 0;
      }
    }
  }

  /** Ends {@code worker}'s claim in {@code state}; false when the worker no longer holds it. */
  public boolean finish(Connection connection, long id, String worker, RemediationState state, Instant at,
                        Duration took, String output, String error) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement update = connection.prepareStatement(FINISH)) {
      update.setString(1, state.wireName());
      dialect.setInstant(update, 2, at);
      if (took == null) {
        update.setNull(3, Types.BIGINT);
      } else {
        update.setLong(3, took.toMillis());
      }
      update.setString(4, output);
      update.setString(5, error);
      update.setLong(6, id);
      update.setString(7, worker);
      return update.executeUpdate() == 1;
    }
  }

  /**
   * Puts {@code worker}'s claim back in the queue to run again at {@code notBefore}; false when
   * the worker no longer holds it.
   */
  public boolean reschedule(Connection connection, long id, String worker, Instant notBefore, String error)
      throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement update = connection.prepareStatement(RESCHEDULE)) {
      dialect.setInstant(update, 1, notBefore);
      update.setString(2, error);
      update.setLong(3, id);
      update.setString(4, worker);
      return update.executeUpdate() == 1;
    }
  }

  /**
   * Marks up to {@code limit} running remediations whose lease ends before
   * {@code leaseEndsBefore} interrupted; rows another sweeper has locked are skipped.
   */
  public List<Expired> interruptExpired(Connection connection, Dialect dialect, Instant leaseEndsBefore,
                                        Instant now, String reason, int limit) throws SQLException {
    List<Expired> expired = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(EXPIRED_RUNNING + dialect.lockForClaim())) {
      dialect.setInstant(select, 1, leaseEndsBefore);
      select.setInt(2, limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          expired.add(new Expired(new RemediationRef(rows.getLong(1), rows.getString(2), rows.getString(3),
              rows.getString(4)), rows.getString(5), rows.getLong(6), rows.getString(7),
              dialect.instant(rows, "starts_at"), rows.getString(9), rows.getInt(10)));
        }
      }
    }
    List<Expired> interrupted = new ArrayList<>(expired.size());
    try (PreparedStatement update = connection.prepareStatement(INTERRUPT)) {
      for (Expired e : expired) {
        dialect.setInstant(update, 1, now);
        update.setString(2, reason);
        update.setLong(3, e.remediation().id());
        if (update.executeUpdate() == 1) {
          interrupted.add(e);
        }
      }
    }
    return interrupted;
  }

  /**
   * Leaves an interrupted remediation to be decided again ({@code rechecking}), its attempts kept;
   * false when it is no longer interrupted.
   */
  public boolean awaitRecheck(Connection connection, long id) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(RECHECK)) {
      update.setLong(1, id);
      return update.executeUpdate() == 1;
    }
  }

  /** The remediation {@code id} as it was claimed to run, with its alert; empty when there is none. */
  public Optional<ClaimedRemediation> claimed(Connection connection, long id) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement select = connection.prepareStatement(CLAIMED)) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(claimed(dialect, row, false)) : Optional.empty();
      }
    }
  }

  /**
   * Reads a {@link #CLAIMED} row; while {@code claiming} it, its attempt is the one about to start,
   * one more than it has used.
   */
  private static ClaimedRemediation claimed(Dialect dialect, ResultSet row, boolean claiming) throws SQLException {
    return new ClaimedRemediation(row.getLong("remediation_id"), row.getString("rule_name"), row.getString("action"),
        row.getString("target"), Canonical.objectMap(row.getString("params")),
        row.getInt("attempts") + (claiming ? 1 : 0), AlertRows.read(dialect, row));
  }
}
