package dev.remediator.resilience;

import dev.remediator.store.BreakerKey;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A breaker that has just opened, until {@code until}: {@code summary} says why in one line and
 * {@code counts} holds the figures that caused it. Each opening is escalated exactly once, in
 * the transaction that opened it.
 */
public record Opening(BreakerKey key, Instant until, String summary, Map<String, Object> counts) {
  public Opening {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(summary, "summary");
    counts = Map.copyOf(counts);
  }
}
