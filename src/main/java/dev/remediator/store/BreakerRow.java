package dev.remediator.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One breaker as stored. {@code openedAt} and {@code openUntil} are set while open or half
 * open; {@code trialRemediationId} names the one trial call of a half-open breaker;
 * {@code countedFrom} is when counting last started afresh (a close or a reset).
 */
public record BreakerRow(BreakerKey key, BreakerState state, Instant openedAt, Instant openUntil,
                         Long trialRemediationId, Instant countedFrom, Instant changedAt) {
  public BreakerRow {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(countedFrom, "countedFrom");
    Objects.requireNonNull(changedAt, "changedAt");
  }

  /** A new breaker: closed, counting every call in its window. */
  public static BreakerRow closed(BreakerKey key, Instant now) {
    return new BreakerRow(key, BreakerState.CLOSED, null, null, null, Instant.EPOCH, now);
  }

  public BreakerRow opened(Instant now, Instant until) {
    return new BreakerRow(key, BreakerState.OPEN, now, until, null, countedFrom, now);
  }

  public BreakerRow halfOpen(long trial, Instant now) {
    return new BreakerRow(key, BreakerState.HALF_OPEN, openedAt, openUntil, trial, countedFrom, now);
  }

  /** Closed, counting afresh from {@code now}. */
  public BreakerRow closedAt(Instant now) {
    return new BreakerRow(key, BreakerState.CLOSED, null, null, null, now, now);
  }
}
