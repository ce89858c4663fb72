package dev.remediator.engine;

import dev.remediator.store.VerificationStore;
import java.time.Instant;

/**
 * Told when a remediation's verification has ended and its outcome is committed: the place to
 * release what was held while verifying (an Alertmanager silence, say). Called on the verifier's
 * thread after the commit; a listener that throws is logged and does not undo the outcome.
 */
@FunctionalInterface
public interface VerificationEnded {
  /** How the verification of one remediation's alert occurrence ended. */
  record Ended(long remediationId, String rule, String fingerprint, Instant startsAt,
               VerificationStore.Outcome outcome, Instant at) {}

  void ended(Ended ended);
}
