package dev.remediator.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * The bench's time source: a monotonic nanosecond counter and a way to wait for a moment on it.
 * Tests inject a fake whose time moves only when they say, so scheduling is checked without
 * real waiting.
 */
public interface Ticker {
  /** The current reading, in nanoseconds from an arbitrary origin. */
  long nanos();

  /** Returns once {@link #nanos()} has reached {@code deadline} (at once when it already has). */
  void sleepUntil(long deadline) throws InterruptedException;

  /** {@link System#nanoTime()}, waiting by parking the thread. */
  Ticker SYSTEM = new Ticker() {
    @Override
    public long nanos() {
      return System.nanoTime();
    }

    @Override
    public void sleepUntil(long deadline) throws InterruptedException {
      for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
        LockSupport.parkNanos(left);
        if (Thread.interrupted()) {
          throw new InterruptedException("interrupted while waiting for the next scheduled send");
        }
      }
    }
  };
}
