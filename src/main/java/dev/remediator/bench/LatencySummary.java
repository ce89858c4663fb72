package dev.remediator.bench;

import java.util.Arrays;

/**
 * Percentiles of a set of latencies, exact (nearest rank on the sorted values, no buckets), in
 * nanoseconds. Percentile p of n values is the value at rank ceil(p/100 * n): the smallest value
 * that at least p percent of the values do not exceed. An empty set has count 0 and zeros.
 */
public record LatencySummary(int count, long p50, long p90, long p99, long p999, long max) {
  public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0);

  /** The summary of {@code nanos}, which is sorted in place. */
  public static LatencySummary of(long[] nanos) {
    if (nanos.length == 0) {
      return EMPTY;
    }
    Arrays.sort(nanos);
    return new LatencySummary(nanos.length, percentile(nanos, 50), percentile(nanos, 90), percentile(nanos, 99),
        percentile(nanos, 99.9), nanos[nanos.length - 1]);
  }

  /** The nearest-rank percentile {@code p} (0 < p <= 100) of {@code sorted}, which must not be empty. */
  public static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("percentile of no values");
    }
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], but was " + p);
    }
    // p * n / 100 in exact decimal steps: 99.9 * 1000 / 100 must be rank 999, not 999.0000000000001 -> 1000.
    long scaled = Math.round(p * 1000);
    long rank = (scaled * sorted.length + 100_000 - 1) / 100_000;
    return sorted[(int) Math.max(rank, 1) - 1];
  }
}
