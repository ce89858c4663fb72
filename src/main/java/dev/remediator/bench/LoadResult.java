package dev.remediator.bench;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one load against one endpoint achieved. Throughput counts acknowledged (2xx) notifications
 * and their alerts over {@code elapsedNanos}, from the first scheduled send to the last answer.
 * {@code ackLatency} covers the 2xx answers; everything else is counted by HTTP status or, when no
 * answer came, by transport failure. {@code lateStarts} counts sends that began more than
 * {@link Tally#LATE_START_NANOS} after their scheduled time and {@code noFreeConnection} those that
 * found every connection busy (open model only; their wait is inside their latency).
 */
public record LoadResult(long elapsedNanos, long sent, long ok, long alertsSent, long alertsOk,
                         LatencySummary ackLatency, SortedMap<Integer, Long> errorsByStatus,
                         SortedMap<String, Long> transportErrors, long lateStarts, long maxStartLagNanos,
                         long noFreeConnection) {
  public LoadResult {
    errorsByStatus = new TreeMap<>(errorsByStatus);
    transportErrors = new TreeMap<>(transportErrors);
  }

  public double elapsedSeconds() {
    return elapsedNanos / 1e9;
  }

  public double notificationsPerSecond() {
    return elapsedNanos == 0 ? 0 : ok / elapsedSeconds();
  }

  public double alertsPerSecond() {
    return elapsedNanos == 0 ? 0 : alertsOk / elapsedSeconds();
  }

  /** Sends that got no 2xx answer. */
  public long errors() {
    return sent - ok;
  }

  /** True when not one send got an HTTP answer, of any status. */
  public boolean nothingAnswered() {
    return sent > 0 && transportErrors.values().stream().mapToLong(Long::longValue).sum() == sent;
  }

  /** Errors as {@code "503": 12, "transport: connection refused": 3}, for the reports. */
  public Map<String, Long> errorsByKind() {
    Map<String, Long> kinds = new TreeMap<>();
    errorsByStatus.forEach((status, count) -> kinds.put(String.valueOf(status), count));
    transportErrors.forEach((kind, count) -> kinds.put("transport: " + kind, count));
    return kinds;
  }
}
