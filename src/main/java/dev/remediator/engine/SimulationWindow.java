package dev.remediator.engine;

import dev.remediator.rules.PromDuration;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The window of stored alerts a simulation reads, from its {@code since} and {@code until}:
 * each either a duration back from now ({@code 7d}, {@code 12h}) or an RFC 3339 instant
 * ({@code 2026-11-20T00:00:00Z}); {@code until} defaults to now.
 */
public record SimulationWindow(Instant since, Instant until) {
  public SimulationWindow {
    if (!since.isBefore(until)) {
      throw new IllegalArgumentException("since (" + since + ") must be before until (" + until + ")");
    }
  }

  /** Parses {@code since} and {@code until} (null for now); a bad value names its flag or parameter. */
  public static SimulationWindow parse(String since, String until, Instant now) {
    if (since == null || since.isBlank()) {
      throw new IllegalArgumentException("since is required, e.g. 7d or 2026-11-20T00:00:00Z");
    }
    return new SimulationWindow(instant("since", since, now), until == null || until.isBlank() ? now
        : instant("until", until, now));
  }

  private static Instant instant(String name, String value, Instant now) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notAnInstant) {
      try {
        Duration ago = PromDuration.parse(value);
        return now.minus(ago);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + " must be a duration back from now (7d, 12h) or an RFC 3339 "
            + "instant, but was \"" + value + "\"", e);
      }
    }
  }
}
