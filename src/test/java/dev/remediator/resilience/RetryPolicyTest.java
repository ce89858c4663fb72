package dev.remediator.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.action.ActionResult.Reached;
import dev.remediator.action.ActionResult;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which failures are repeated, after how long, and what the audit says about why. */
class RetryPolicyTest {
  private static final Backoff FIXED = new Backoff(Duration.ofSeconds(10), 2.0, 0.2, Duration.ofMinutes(5), () -> 0.5);
  private final RetryPolicy policy = new RetryPolicy(FIXED);

  static Stream<Arguments> classification() {
    return Stream.of(
        // action, how far the failure reached, repeated?
        Arguments.of("restart", Reached.NOTHING, true),
        Arguments.of("restart", Reached.READS_ONLY, true),
        Arguments.of("restart", Reached.IDEMPOTENT_REQUEST, false),
        Arguments.of("restart", Reached.MAYBE_ACTED, false),
        Arguments.of("rollback", Reached.NOTHING, true),
        Arguments.of("rollback", Reached.IDEMPOTENT_REQUEST, false),
        Arguments.of("rollback", Reached.MAYBE_ACTED, false),
        Arguments.of("scale", Reached.READS_ONLY, true),
        Arguments.of("scale", Reached.IDEMPOTENT_REQUEST, false),
        Arguments.of("flush_cache", Reached.READS_ONLY, true),
        Arguments.of("flush_cache", Reached.IDEMPOTENT_REQUEST, false),
        Arguments.of("flush_cache", Reached.MAYBE_ACTED, false),
        Arguments.of("kill_idle_connections", Reached.NOTHING, true),
        Arguments.of("kill_idle_connections", Reached.IDEMPOTENT_REQUEST, false),
        Arguments.of("notify", Reached.NOTHING, true),
        Arguments.of("notify", Reached.IDEMPOTENT_REQUEST, false),
        Arguments.of("notify", Reached.MAYBE_ACTED, false),
        Arguments.of("http", Reached.NOTHING, true),
        Arguments.of("http", Reached.IDEMPOTENT_REQUEST, true),
        Arguments.of("http", Reached.MAYBE_ACTED, false),
        Arguments.of("command", Reached.NOTHING, true),
        Arguments.of("command", Reached.MAYBE_ACTED, false));
  }

  @ParameterizedTest(name = "{0} after {1}: retried {2}")
  @MethodSource("classification")
  void repeatsOnlyWhatIsSafe(String action, Reached reached, boolean repeated) {
    ActionResult.Retryable failure = new ActionResult.Retryable("failed", null, reached);

    assertThat(policy.retry(action, 1, failure).isPresent()).isEqualTo(repeated);
    assertThat(RetryPolicy.safe(action, reached)).isEqualTo(repeated);
  }

  @Test
  void aRetrySaysWhyItIsSafeAndWhenItComes() {
    ActionResult.Retryable refused = new ActionResult.Retryable("connection refused", null, Reached.NOTHING);

    assertThat(policy.retry("restart", 1, refused)).hasValue(new RetryPolicy.Retry(Duration.ofSeconds(10),
        "the request never reached the target (connection refused, unknown host or connect timeout)"));
    assertThat(policy.retry("restart", 2, refused)).hasValueSatisfying(retry ->
        assertThat(retry.delay()).isEqualTo(Duration.ofSeconds(20)));
  }

  @Test
  void givesUpAfterTheLastAttempt() {
    ActionResult.Retryable refused = new ActionResult.Retryable("connection refused", null, Reached.NOTHING);

    assertThat(policy.retry("http", RetryPolicy.MAX_ATTEMPTS, refused)).isEmpty();
    assertThat(policy.refusal("http", RetryPolicy.MAX_ATTEMPTS, refused)).isEqualTo("gave up after 3 attempts");
  }

  @Test
  void refusalOfAnUnsafeRepeatSaysWhy() {
    ActionResult.Retryable put = new ActionResult.Retryable("HTTP 503", null, Reached.IDEMPOTENT_REQUEST);

    assertThat(policy.refusal("restart", 1, put)).isEqualTo("not retried: an idempotent request may have reached"
        + " the target; repeating it has the same effect, and restart is not repeated then");
  }

  @Test
  void backoffDoublesUpToItsCap() {
    Backoff backoff = new Backoff(Duration.ofSeconds(10), 2.0, 0.2, Duration.ofSeconds(60), () -> 0.5);

    assertThat(backoff.base(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(backoff.base(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(backoff.base(3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(backoff.base(4)).isEqualTo(Duration.ofSeconds(60));
    assertThat(backoff.base(40)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void jitterStaysWithinItsBoundsAndSpreadsTheRetries() {
    Random seeded = new Random(42);
    Backoff backoff = new Backoff(Duration.ofSeconds(10), 2.0, 0.2, Duration.ofMinutes(5), seeded::nextDouble);
    long lowest = Long.MAX_VALUE;
    long highest = Long.MIN_VALUE;
    for (int i = 0; i < 1_000; i++) {
      long millis = backoff.after(2).toMillis();
      assertThat(millis).isBetween(16_000L, 24_000L);
      lowest = Math.min(lowest, millis);
      highest = Math.max(highest, millis);
    }
    assertThat(highest - lowest).as("the waits are spread, not all alike").isGreaterThan(6_000L);
  }

  @Test
  void jitterAtTheEdgesOfTheRandomSource() {
    assertThat(new Backoff(Duration.ofSeconds(10), 2.0, 0.2, Duration.ofMinutes(5), () -> 0.0).after(1))
        .isEqualTo(Duration.ofSeconds(8));
    assertThat(new Backoff(Duration.ofSeconds(10), 2.0, 0.2, Duration.ofMinutes(5), () -> 0.999_999).after(1))
        .isLessThanOrEqualTo(Duration.ofSeconds(12));
  }
}
