package dev.remediator.store;

import java.util.Locale;

/** Where a remediation is in its life. Wire names are the lower-case names. */
public enum RemediationState {
  /** Decided to run; waiting for a worker (or for its retry time). */
  PENDING,
  /** Held until an operator approves or rejects it. */
  AWAITING_APPROVAL,
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** A guard stopped it; the reason says which. */
  SKIPPED,
  /** Decided and audited, deliberately not executed. */
  DRY_RUN,
  /** The alert resolved before the action started. */
  CANCELLED,
  /** Found running after a crash or shutdown; re-checked, never blindly re-run. */
  INTERRUPTED,
  /**
   * Interrupted while its alert still fires, under {@code on_interrupt: recheck}: waits for the
   * guards to decide it again, and runs again only if they pass.
   */
  RECHECKING,
  REJECTED,
  /** Nobody approved or rejected it within its rule's {@code approval_ttl}; it never runs. */
  EXPIRED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RemediationState fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
