package dev.remediator.resilience;

import dev.remediator.action.ActionResult;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a failed attempt is tried again, and after how long: the one place that says which
 * failures are safe to repeat. A failure that never reached the target, or reached it only with
 * reads, is repeated for any action; an idempotent request (an http GET, PUT or DELETE) that may
 * have reached it is repeated only for actions that are not in {@link #NEVER_REPEATED} (a restart,
 * rollback, scale, flush or kill repeated may act twice, and a webhook POST may have been
 * delivered); a request that may have changed the target is never repeated.
 */
public final class RetryPolicy {
  public static final int MAX_ATTEMPTS = 3;
  /** Actions never repeated once a request of theirs may have reached the target. */
  public static final Set<String> NEVER_REPEATED =
      Set.of("restart", "rollback", "scale", "flush_cache", "kill_idle_connections", "notify");

  private final Backoff backoff;

  public RetryPolicy(Backoff backoff) {
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  /** A retry: after {@code delay}, because {@code safeBecause}. */
  public record Retry(Duration delay, String safeBecause) {}

  /**
   * The retry for {@code failure} of attempt {@code attempt} of {@code action}, or empty when it
   * must not be repeated (not safe, or attempts used up); {@link #refusal} says why.
   */
  public Optional<Retry> retry(String action, int attempt, ActionResult.Retryable failure) {
    if (attempt >= MAX_ATTEMPTS || !safe(action, failure.reached())) {
      return Optional.empty();
    }
    return Optional.of(new Retry(backoff.after(attempt), failure.reached().meaning()));
  }

  /** Why {@link #retry} gave nothing for this failure, for the failure's message. */
  public String refusal(String action, int attempt, ActionResult.Retryable failure) {
    if (!safe(action, failure.reached())) {
      return "not retried: " + failure.reached().meaning() + ", and " + action + " is not repeated then";
    }
    return "gave up after " + attempt + " attempts";
  }

  /** True when repeating {@code action} after a failure that got as far as {@code reached} is safe. */
  public static boolean safe(String action, ActionResult.Reached reached) {
    switch (reached) {
      case NOTHING:
      case READS_ONLY:
        return true;
      case IDEMPOTENT_REQUEST:
        return !NEVER_REPEATED.contains(action);
      default:
        return false;
    }
  }
}
