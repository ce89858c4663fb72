package dev.remediator.engine;

import dev.remediator.store.StoreUnavailableException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one step of background work over and over on a named thread: again at once while it
 * finds work, otherwise after a wake-up signal or the poll interval. A failing step is logged
 * and retried after a pause, so a store outage slows the loop down instead of killing it.
 */
public final class BackgroundLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackgroundLoop.class);
  private static final Duration FAILURE_PAUSE = Duration.ofSeconds(1);

  /** One step of the work; returns how much it did (0: nothing to do, wait for a signal or the poll). */
  @FunctionalInterface
  public interface Step {
    int run() throws InterruptedException;
  }

  private final Step step;
  private final Wakeup wakeup;
  private final Duration pollInterval;
  private final Thread thread;
  private volatile boolean running = true;

  public BackgroundLoop(String threadName, Step step, Wakeup wakeup, Duration pollInterval) {
    this.step = step;
    this.wakeup = wakeup;
    this.pollInterval = pollInterval;
    this.thread = new Thread(this::run, threadName);
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    boolean failing = false;
    while (running) {
      try {
        int done = step.run();
        if (failing) {
          log.info("{} recovered", thread.getName());
          failing = false;
        }
        if (done == 0) {
          wakeup.await(pollInterval);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (StoreUnavailableException e) {
        if (!failing) {
          log.warn("{} paused: {}", thread.getName(), e.getMessage());
          failing = true;
        }
        pause();
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        log.error("{} step failed; retrying", thread.getName(), e);
        failing = true;
        pause();
      }
    }
  }

  private void pause() {
    try {
      Thread.sleep(FAILURE_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Stops after the current step; waits for it to finish. */
  @Override
  public void close() {
    running = false;
    wakeup.signal();
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
