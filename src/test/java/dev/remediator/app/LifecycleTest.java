package dev.remediator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleTest {
  private final List<String> events = new ArrayList<>();

  @Test
  void closeStopsWhatStartedInReverseOrder() throws Exception {
    Lifecycle lifecycle = new Lifecycle();
    lifecycle.start("pool", () -> events.add("start pool"), () -> events.add("stop pool"));
    lifecycle.start("loop", () -> events.add("start loop"), () -> events.add("stop loop"));
    lifecycle.start("server", () -> events.add("start server"), () -> events.add("stop server"));

    lifecycle.close();

    assertThat(events).containsExactly("start pool", "start loop", "start server",
        "stop server", "stop loop", "stop pool");
  }

  @Test
  void aFailedStartIsNotStoppedButEverythingBeforeItIs() throws Exception {
    Lifecycle lifecycle = new Lifecycle();
    lifecycle.start("pool", () -> events.add("start pool"), () -> events.add("stop pool"));
    assertThatThrownBy(() -> lifecycle.start("server", () -> {
      throw new java.net.BindException("Address already in use");
    }, () -> events.add("stop server"))).isInstanceOf(java.net.BindException.class);

    lifecycle.close();

    assertThat(events).containsExactly("start pool", "stop pool");
  }

  @Test
  void aFailingStopDoesNotKeepTheOthersRunning() throws Exception {
    Lifecycle lifecycle = new Lifecycle();
    lifecycle.start("pool", () -> { }, () -> events.add("stop pool"));
    lifecycle.start("loop", () -> { }, () -> {
      throw new IllegalStateException("stuck");
    });

    lifecycle.close();
    lifecycle.close();

    assertThat(events).containsExactly("stop pool");
  }

  @Test
  void nothingStartsAfterClose() {
    Lifecycle lifecycle = new Lifecycle();
    lifecycle.close();
    assertThatIllegalStateException().isThrownBy(() -> lifecycle.start("late", () -> events.add("started"), () -> { }));
    assertThat(events).isEmpty();
  }
}
