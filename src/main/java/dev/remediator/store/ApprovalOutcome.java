package dev.remediator.store;

/** What an operator's approve or reject did to one remediation. */
public sealed interface ApprovalOutcome {
  /** The remediation left {@code awaiting_approval} for {@code state}; the alert facts are for the audit. */
  record Moved(RemediationRef remediation, RemediationState state, long alertId, String fingerprint,
               String alertname) implements ApprovalOutcome {}

  /** No remediation has this id. */
  record NotFound(long id) implements ApprovalOutcome {}

  /** The remediation exists but is not awaiting approval (already approved, rejected, cancelled...). */
  record NotAwaiting(long id, RemediationState state) implements ApprovalOutcome {}
}
