package dev.remediator.rules;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * When the circuit breaker of one (action, target) opens, tuned for remediation volumes: open
 * at {@code failureRate} failures over at least {@code minCalls} calls within {@code window},
 * stay open {@code openFor}, then let one trial call through.
 */
public record BreakerSettings(double failureRate, int minCalls, Duration window, Duration openFor) {
  /** 50% failures over at least 5 calls within an hour; open for 10 minutes. */
  public static final BreakerSettings DEFAULT =
      new BreakerSettings(0.5, 5, Duration.ofHours(1), Duration.ofMinutes(10));

  public BreakerSettings {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(openFor, "openFor");
  }

  /** Some of the settings, as a target or a rule overrides them; the rest come from below. */
  public record Override(Optional<Double> failureRate, Optional<Integer> minCalls, Optional<Duration> window,
                         Optional<Duration> openFor) {
    public static final Override NONE = new Override(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());

    /** {@code base} with the settings given here in its place. */
    public BreakerSettings over(BreakerSettings base) {
      return new BreakerSettings(failureRate.orElse(base.failureRate()), minCalls.orElse(base.minCalls()),
          window.orElse(base.window()), openFor.orElse(base.openFor()));
    }
  }
}
