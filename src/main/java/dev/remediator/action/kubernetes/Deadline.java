package dev.remediator.action.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** When an action must be done by: its start plus its {@code timeout}, read from an injected clock. */
record Deadline(Clock clock, Instant end, Duration limit) {
  static Deadline after(Clock clock, Duration limit) {
    return new Deadline(clock, clock.instant().plus(limit), limit);
  }

  /** The time left, zero once past. */
  Duration remaining() {
    Duration left = Duration.between(clock.instant(), end);
    return left.isNegative() ? Duration.ZERO : left;
  }
}
