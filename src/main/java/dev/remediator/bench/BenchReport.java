package dev.remediator.bench;

import java.util.Optional;

/**
 * Everything one bench run measured: remediator's load, what its store says about the run's
 * alerts (with {@code --database-url}), and the same load against the reference endpoints (with
 * {@code --reference}).
 */
public record BenchReport(BenchOptions options, String runId, LoadResult remediator, Optional<StoreFigures> store,
                          Optional<References> references) {
  /** The loads against the reference endpoints, run after remediator's in this order: naive insert, bare. */
  public record References(LoadResult naiveInsert, LoadResult bare) {}

  /** remediator's acknowledged notifications per second over the reference's; empty when the reference did none. */
  public static Optional<Double> ratio(LoadResult remediator, LoadResult reference) {
    double base = reference.notificationsPerSecond();
    return base > 0 ? Optional.of(remediator.notificationsPerSecond() / base) : Optional.empty();
  }
}
