package dev.remediator.bench;

import java.util.SortedMap;
import java.util.TreeMap;

/** Collects the replies of one load from every sending thread and sums them up as a {@link LoadResult}. */
final class Tally {
  /** A send that begins later than this after its scheduled time counts as a late start. */
  static final long LATE_START_NANOS = 1_000_000;

  private final LongList latencies = new LongList();
  private long sent;
  private long ok;
  private long alertsSent;
  private long alertsOk;
  private final SortedMap<Integer, Long> errorsByStatus = new TreeMap<>();
  private final SortedMap<String, Long> transportErrors = new TreeMap<>();
  private long lateStarts;
  private long maxStartLag;
  private long noFreeConnection;

  /** One reply to a notification of {@code alerts} alerts, {@code latency} after it was due. */
  synchronized void record(Reply reply, long latency, int alerts) {
    sent++;
    alertsSent += alerts;
    if (reply.isSuccess()) {
      ok++;
      alertsOk += alerts;
      latencies.add(latency);
    } else if (reply.isTransportError()) {
      transportErrors.merge(reply.transportError(), 1L, Long::sum);
    } else {
      errorsByStatus.merge(reply.status(), 1L, Long::sum);
    }
  }

  /** A send began {@code lag} after its scheduled time. */
  synchronized void started(long lag) {
    if (lag > LATE_START_NANOS) {
      lateStarts++;
    }
    maxStartLag = Math.max(maxStartLag, lag);
  }

  /** A send found all connections busy at its scheduled time and had to wait for one. */
  synchronized void waitedForConnection() {
    noFreeConnection++;
  }

  synchronized LoadResult result(long elapsedNanos) {
    return new LoadResult(elapsedNanos, sent, ok, alertsSent, alertsOk,
        LatencySummary.of(latencies.toArray()), errorsByStatus, transportErrors, lateStarts,
        maxStartLag, noFreeConnection);
  }
}
