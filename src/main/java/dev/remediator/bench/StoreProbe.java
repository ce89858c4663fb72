package dev.remediator.bench;

import dev.remediator.config.Redaction;
import dev.remediator.store.Database;
import dev.remediator.store.Dialect;
import dev.remediator.store.StoreException;
import dev.remediator.store.StoreUnavailableException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads remediator's store, with selects only, to see what became of the alerts one run sent:
 * how many were stored and decided, and how long deciding and starting an action took. The run's
 * alerts are those whose fingerprint starts with its run id.
 */
public final class StoreProbe implements AutoCloseable {
  private static final String CHECK = "select count(*) from alert where id < 0";
  private static final String UNDECIDED = "select count(*) from alert where decided_at is null and fingerprint like ?";
  /** Remediations decided to run that no worker has started yet (a retry has started once already). */
  private static final String NOT_STARTED =
      "select count(*) from remediation where state = 'pending' and attempts = 0 and fingerprint like ?";
  private static final String ROWS = """
      select a.received_at, a.decided_at, a.decide_error,
        (select min(e.occurred_at) from remediation r join audit_event e on e.remediation_id = r.id
          where r.fingerprint = a.fingerprint and r.starts_at = a.starts_at and r.alert_id = a.id
            and e.kind = 'started') as started_at
      from alert a where a.fingerprint like ?""";
  private static final Duration POLL = Duration.ofMillis(250);
  /** Why an embedded store usually cannot be read: see Database, locking_mode=EXCLUSIVE. */
  static final String EMBEDDED_LOCKED = " (a running server holds its embedded SQLite store locked, so the bench can "
      + "read or write it only while no server uses it; run the server on PostgreSQL to measure decisions)";

  private final Database database;
  private final String url;

  private StoreProbe(Database database, String url) {
    this.database = database;
    this.url = url;
  }

  /** Opens the store at {@code jdbcUrl} and checks that it holds remediator's tables; fails with a BenchException. */
  public static StoreProbe open(String jdbcUrl) {
    StoreProbe probe = new StoreProbe(Database.open(jdbcUrl, 2), jdbcUrl);
    try {
      probe.query(CHECK, List.of());
      return probe;
    } catch (BenchException e) {
      probe.close();
      throw e;
    }
  }

  /**
   * Waits up to {@code limit} until every alert of the run is decided and every action decided
   * to run has started; returns how long it waited.
   */
  public Duration settle(String prefix, Duration limit, Ticker ticker) throws InterruptedException {
    long start = ticker.nanos();
    long deadline = start + limit.toNanos();
    List<String> run = List.of(prefix + "%");
    while ((query(UNDECIDED, run) > 0 || query(NOT_STARTED, run) > 0) && ticker.nanos() < deadline) {
      ticker.sleepUntil(Math.min(deadline, ticker.nanos() + POLL.toNanos()));
    }
    return Duration.ofNanos(ticker.nanos() - start);
  }

  /** The figures of the run whose fingerprints start with {@code prefix}. */
  public StoreFigures figures(String prefix, Duration settleWait) {
    Dialect dialect = database.dialect();
    long notStarted = query(NOT_STARTED, List.of(prefix + "%"));
    return withStore(() -> database.inTransaction(connection -> {
      try (PreparedStatement select = connection.prepareStatement(ROWS)) {
        select.setString(1, prefix + "%");
        long stored = 0;
        long failed = 0;
        LongList toDecision = new LongList();
        LongList toStart = new LongList();
        Instant firstReceived = null;
        Instant lastDecided = null;
        try (ResultSet row = select.executeQuery()) {
          while (row.next()) {
            stored++;
            Instant received = dialect.instant(row, "received_at");
            Instant decided = dialect.instant(row, "decided_at");
            Instant started = dialect.instant(row, "started_at");
            firstReceived = firstReceived == null || received.isBefore(firstReceived) ? received : firstReceived;
            if (decided != null) {
              toDecision.add(Duration.between(received, decided).toNanos());
              lastDecided = lastDecided == null || decided.isAfter(lastDecided) ? decided : lastDecided;
              failed += row.getString("decide_error") == null ? 0 : 1;
            }
            if (started != null) {
              toStart.add(Duration.between(received, started).toNanos());
            }
          }
        }
        long notDecided = stored - toDecision.size();
        Optional<Duration> allDecided = stored > 0 && notDecided == 0
            ? Optional.of(Duration.between(firstReceived, lastDecided)) : Optional.empty();
        return new StoreFigures(prefix, stored, toDecision.size(), failed, notDecided,
            LatencySummary.of(toDecision.toArray()), LatencySummary.of(toStart.toArray()),
            notStarted, allDecided, settleWait);
      }
    }));
  }

  private long query(String sql, List<String> args) {
    return withStore(() -> database.inTransaction(connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        for (int i = 0; i < args.size(); i++) {
          select.setString(i + 1, args.get(i));
        }
        try (ResultSet row = select.executeQuery()) {
          row.next();
          return row.getLong(1);
        }
      }
    }));
  }

  private <T> T withStore(Supplier<T> read) {
    try {
      return read.get();
    } catch (StoreUnavailableException | StoreException e) {
      throw new BenchException("cannot read remediator's store at " + Redaction.url(url) + ": " + e.getMessage()
          + (database.dialect().isEmbedded() ? EMBEDDED_LOCKED : ""), e);
    }
  }

  @Override
  public void close() {
    database.close();
  }
}
