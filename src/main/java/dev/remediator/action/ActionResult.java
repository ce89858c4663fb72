package dev.remediator.action;

/**
 * How an action ended. Retryable only where repeating the action is known to be safe (the
 * request never reached the target, or the target answered 5xx to an idempotent call).
 * Results are normalised when built, so recording one can never fail on a missing message: a
 * null output becomes empty, and a missing reason is taken from the cause or stated as missing.
 */
public sealed interface ActionResult {
  /** The message that goes on the remediation row and in its audit event: output or reason. */
  String message();

  record Succeeded(String output) implements ActionResult {
    public Succeeded {
      output = output == null ? "" : output;
    }

    @Override
    public String message() {
      return output;
    }
  }

  record Retryable(String reason, Throwable cause) implements ActionResult {
    public Retryable {
      reason = reasonOrCause(reason, cause);
    }

    @Override
    public String message() {
      return reason;
    }
  }

  record Permanent(String reason, Throwable cause) implements ActionResult {
    public Permanent {
      reason = reasonOrCause(reason, cause);
    }

    @Override
    public String message() {
      return reason;
    }
  }

  /**
   * The action was not run because a step before it (the alert resolved, say) made it
   * pointless; nothing reached the target.
   */
  record Cancelled(String reason) implements ActionResult {
    public Cancelled {
      reason = reasonOrCause(reason, null);
    }

    @Override
    public String message() {
      return reason;
    }
  }

  private static String reasonOrCause(String reason, Throwable cause) {
    if (reason != null && !reason.isBlank()) {
      return reason;
    }
    return cause == null ? "no reason given" : cause.toString();
  }
}
