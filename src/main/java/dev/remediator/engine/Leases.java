package dev.remediator.engine;

import dev.remediator.resilience.Deadlines;
import java.time.Duration;

/**
 * How long a claim is held. A lease is the action's deadline ({@link Deadlines}) plus a margin,
 * capped so that work orphaned by a dead replica is swept within two minutes whatever the
 * deadline; the renewer extends it while the action runs, so a long action never loses its lease
 * to the cap.
 */
public final class Leases {
  public static final Duration MARGIN = Duration.ofSeconds(30);
  public static final Duration MAX_LEASE = Deadlines.COMMAND.plus(MARGIN);
  /** Renewals come this often, several per lease, so one missed renewal loses nothing. */
  public static final Duration RENEW_EVERY = Duration.ofSeconds(10);
  /** Every replica sweeps expired leases this often. */
  public static final Duration SWEEP_EVERY = Duration.ofSeconds(5);

  private Leases() {}

  /** The lease a claim with {@code deadline} takes and each renewal extends by. */
  public static Duration lease(Duration deadline) {
    Duration lease = deadline.plus(MARGIN);
    return lease.compareTo(MAX_LEASE) > 0 ? MAX_LEASE : lease;
  }
}
