package dev.remediator.action.kubernetes;

import java.time.Duration;

/** Waits between two looks at a rollout; tests move a clock instead of waiting. */
@FunctionalInterface
interface Sleeper {
  Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
