package dev.remediator.action.railway;

import dev.remediator.action.ActionResult;
import java.util.Map;

/**
 * A failed call to Railway's API. {@link #retryable()} says whether repeating it is known to be
 * safe: a read, or a mutation that surely never reached Railway or that Railway refused unread.
 * The message names the operation and the target and never carries the token.
 */
final class RailwayException extends Exception {
  private final boolean retryable;

  RailwayException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  boolean retryable() {
    return retryable;
  }

  /** The action's result for this failure, with what the action had found before it ({@code facts}). */
  ActionResult result(Map<String, Object> facts) {
    return retryable ? new ActionResult.Retryable(getMessage(), getCause())
        : new ActionResult.Permanent(getMessage(), getCause(), facts);
  }
}
