package dev.remediator.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ActionResultTest {
  @Test
  void successWithoutOutputHasAnEmptyOutput() {
    assertThat(new ActionResult.Succeeded(null).output()).isEmpty();
    assertThat(new ActionResult.Succeeded(null).message()).isEmpty();
  }

  @Test
  void failureWithoutReasonTakesItFromTheCauseOrSaysItIsMissing() {
    IOException cause = new IOException("connection reset");

    assertThat(new ActionResult.Retryable(null, cause, ActionResult.Reached.NOTHING).reason()).isEqualTo("java.io.IOException: connection reset");
    assertThat(new ActionResult.Permanent(" ", null).reason()).isEqualTo("no reason given");
    assertThat(new ActionResult.Cancelled(null).message()).isEqualTo("no reason given");
  }

  @Test
  void givenMessagesAreKept() {
    assertThat(new ActionResult.Permanent("exited with status 2", null).message()).isEqualTo("exited with status 2");
    assertThat(new ActionResult.Succeeded("done").message()).isEqualTo("done");
  }
}
