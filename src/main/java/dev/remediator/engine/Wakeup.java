package dev.remediator.engine;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Lets one stage wake the next as soon as there is work, with a poll interval as a fallback. */
public final class Wakeup {
  private final Semaphore permits = new Semaphore(0);

  public void signal() {
    if (permits.availablePermits() == 0) {
      permits.release();
    }
  }

  /** Waits for a signal or the timeout, whichever comes first; coalesces repeated signals. */
  public void await(Duration timeout) throws InterruptedException {
    if (permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      permits.drainPermits();
    }
  }
}
