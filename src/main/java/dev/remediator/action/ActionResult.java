package dev.remediator.action;

/**
 * How an action ended. Retryable only where repeating the action is known to be safe (the
 * request never reached the target, or the target answered 5xx to an idempotent call).
 */
public sealed interface ActionResult {
  record Succeeded(String output) implements ActionResult {}

  record Retryable(String reason, Throwable cause) implements ActionResult {}

  record Permanent(String reason, Throwable cause) implements ActionResult {}
}
