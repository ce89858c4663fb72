package dev.remediator.action.railway;

import dev.remediator.action.ActionResult;
import java.util.Map;
import java.util.Optional;

/**
 * A failed call to Railway's API, and how far it reached Railway when it is a failure that may
 * pass: nothing (never sent), reads only (a query), or a mutation that Railway may have applied,
 * which the retry policy never repeats. The message names the operation and the target and never
 * carries the token.
 */
final class RailwayException extends Exception {
  private final Optional<ActionResult.Reached> mayPass;

  /** A failure that will not pass by trying again. */
  RailwayException(String message, Throwable cause) {
    super(message, cause);
    this.mayPass = Optional.empty();
  }

  /** A failure that may pass, after the call reached Railway as far as {@code reached}. */
  RailwayException(String message, ActionResult.Reached reached, Throwable cause) {
    super(message, cause);
    this.mayPass = Optional.of(reached);
  }

  /** The action's result for this failure, with what the action had found before it ({@code facts}). */
  ActionResult result(Map<String, Object> facts) {
    return mayPass.<ActionResult>map(reached -> new ActionResult.Retryable(getMessage(), getCause(), reached))
        .orElseGet(() -> new ActionResult.Permanent(getMessage(), getCause(), facts));
  }
}
