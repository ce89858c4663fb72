package dev.remediator.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The wait before the next attempt: exponential from {@code first} by {@code multiplier}, capped at
 * {@code max}, then spread by up to {@code ±jitter} of itself so that replicas retrying the same
 * failing target do not come back in step. The random source is given, so a test can seed it.
 */
public final class Backoff {
  private final Duration first;
  private final double multiplier;
  private final double jitter;
  private final Duration max;
  private final DoubleSupplier unitRandom;

  /** @param unitRandom uniform values in {@code [0, 1)} */
  public Backoff(Duration first, double multiplier, double jitter, Duration max, DoubleSupplier unitRandom) {
    if (first.isNegative() || first.isZero() || multiplier < 1 || jitter < 0 || jitter >= 1
        || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("backoff needs first > 0, multiplier >= 1, 0 <= jitter < 1 and max >= first");
    }
    this.first = first;
    this.multiplier = multiplier;
    this.jitter = jitter;
    this.max = max;
    this.unitRandom = Objects.requireNonNull(unitRandom, "unitRandom");
  }

  /** 10 s, doubling, ±20 %, at most 5 minutes, on a thread-safe random source. */
  public static Backoff standard() {
    return new Backoff(Duration.ofSeconds(10), 2.0, 0.2, Duration.ofMinutes(5),
        () -> ThreadLocalRandom.current().nextDouble());
  }

  /** The wait after failed attempt {@code attempt} (1 for the first), before its jitter. */
  public Duration base(int attempt) {
    double millis = first.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
    return millis >= max.toMillis() ? max : Duration.ofMillis(Math.round(millis));
  }

  /** The wait after failed attempt {@code attempt}, jittered: within {@code base × (1 ± jitter)}. */
  public Duration after(int attempt) {
    long base = base(attempt).toMillis();
    double spread = jitter * (2 * unitRandom.getAsDouble() - 1);
    return Duration.ofMillis(Math.round(base * (1 + spread)));
  }
}
