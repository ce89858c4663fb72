package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remediator.action.ActionResult;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.StoredAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimeLimitTest {
  private static final ClaimedRemediation CLAIM = new ClaimedRemediation(1, "restart-api", "command", "deployer",
      Map.of(), 1, new StoredAlert(1, 1, new Alert(AlertStatus.FIRING,
          Labels.of("alertname", "HighErrorRate"), Labels.of(), Instant.parse("2026-11-22T10:00:00Z"),
          Optional.empty(), "", "0000000000000001")));

  @Test
  void actionWithinItsLimitAnswersForItself() throws Exception {
    try (TimeLimit limit = new TimeLimit(claim -> Duration.ofSeconds(1), Duration.ZERO)) {
      ActionResult result = limit.around(CLAIM, claim -> new ActionResult.Succeeded("restarted"));

      assertThat(result).isEqualTo(new ActionResult.Succeeded("restarted"));
    }
  }

  @Test
  void actionPastItsLimitIsInterruptedAndFailsForGood() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    try (TimeLimit limit = new TimeLimit(claim -> Duration.ofSeconds(1), Duration.ZERO)) {
      ActionResult result = limit.around(CLAIM, claim -> {
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          interrupted.countDown();
          throw e;
        }
        return new ActionResult.Succeeded("never");
      });

      assertThat(result).isInstanceOf(ActionResult.Permanent.class);
      assertThat(((ActionResult.Permanent) result).reason())
          .isEqualTo("still running after its time limit of 1s; interrupted");
      assertThat(interrupted.await(30, TimeUnit.SECONDS)).as("the action's thread was interrupted").isTrue();
    }
  }

  @Test
  void failureOfTheActionIsPassedOnAsItIs() {
    try (TimeLimit limit = new TimeLimit(claim -> Duration.ofSeconds(1), Duration.ZERO)) {
      IllegalStateException failure = new IllegalStateException("boom");
      assertThatThrownBy(() -> limit.around(CLAIM, claim -> {
        throw failure;
      })).isSameAs(failure);
    }
  }
}
