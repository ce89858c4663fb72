package dev.remediator.rules;

import java.time.Duration;
import java.util.Objects;

/** At most {@code count} actions in any window of length {@code per}. */
public record RateLimit(int count, Duration per) {
  public RateLimit {
    Objects.requireNonNull(per, "per");
    if (count < 1) {
      throw new IllegalArgumentException("max_actions.count must be at least 1, but was " + count);
    }
    if (per.isZero() || per.isNegative()) {
      throw new IllegalArgumentException("max_actions.per must be positive, but was " + per);
    }
  }
}
