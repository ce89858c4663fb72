package dev.remediator.engine;

import dev.remediator.rules.PromDuration;
import dev.remediator.store.ClaimedRemediation;
import java.time.Duration;

/**
 * How long a claim is held and how long its action may run. A lease is the action's time limit
 * plus a margin, capped so that work orphaned by a dead replica is swept within two minutes
 * whatever the action's limit; the renewer extends it while the action runs, so a long action
 * never loses its lease to the cap.
 */
public final class Leases {
  /** The time limit of an action that states none (the command action's own default). */
  public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(60);
  public static final Duration MARGIN = Duration.ofSeconds(30);
  public static final Duration MAX_LEASE = DEFAULT_TIME_LIMIT.plus(MARGIN);
  /** Renewals come this often, several per lease, so one missed renewal loses nothing. */
  public static final Duration RENEW_EVERY = Duration.ofSeconds(10);
  /** Every replica sweeps expired leases this often. */
  public static final Duration SWEEP_EVERY = Duration.ofSeconds(5);

  private Leases() {}

  /** The action's own time limit: its {@code timeout} parameter, or the default. */
  public static Duration timeLimit(ClaimedRemediation claim) {
    Object timeout = claim.params().get("timeout");
    if (timeout instanceof String text) {
      try {
        Duration limit = PromDuration.parse(text);
        if (!limit.isZero() && !limit.isNegative()) {
          return limit;
        }
      } catch (IllegalArgumentException e) {
        // Validated when the rules were loaded; fall back to the default rather than fail here.
      }
    }
    return DEFAULT_TIME_LIMIT;
  }

  /** The lease a claim takes and each renewal extends by. */
  public static Duration lease(ClaimedRemediation claim) {
    Duration lease = timeLimit(claim).plus(MARGIN);
    return lease.compareTo(MAX_LEASE) > 0 ? MAX_LEASE : lease;
  }
}
