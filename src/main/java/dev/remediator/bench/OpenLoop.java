package dev.remediator.bench;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * The open model: send number i is due at {@code start + i / rate} whatever happened to the ones
 * before, and its latency runs from that due time to its answer. A slow server therefore cannot
 * hide the queue it causes (no coordinated omission): when answers take longer than the interval,
 * later sends start late and their latencies include the wait. At most {@code maxInFlight} sends
 * run at once; one that finds none free waits for one, and is counted.
 */
final class OpenLoop {
  private final Ticker ticker;
  private final Executor executor;
  private final int maxInFlight;

  OpenLoop(Ticker ticker, Executor executor, int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, but was " + maxInFlight);
    }
    this.ticker = ticker;
    this.executor = executor;
    this.maxInFlight = maxInFlight;
  }

  /** Sends {@code rate} notifications per second for {@code duration}, then waits for every answer. */
  LoadResult run(double rate, Duration duration, Notifications bodies, Sender sender) throws InterruptedException {
    Tally tally = new Tally();
    Semaphore slots = new Semaphore(maxInFlight);
    long start = ticker.nanos();
    long length = duration.toNanos();
    for (long i = 0; ; i++) {
      long offset = (long) Math.floor(i * 1e9 / rate);
      if (offset >= length) {
        break;
      }
      long due = start + offset;
      ticker.sleepUntil(due);
      if (!slots.tryAcquire()) {
        tally.waitedForConnection();
        slots.acquire();
      }
      try {
        executor.execute(() -> sendOne(due, bodies, sender, tally, slots));
      } catch (RejectedExecutionException e) {
        slots.release();
        throw e;
      }
    }
    slots.acquire(maxInFlight);
    slots.release(maxInFlight);
    return tally.result(ticker.nanos() - start);
  }

  private void sendOne(long due, Notifications bodies, Sender sender, Tally tally, Semaphore slots) {
    try {
      tally.started(ticker.nanos() - due);
      Reply reply = Sends.send(sender, bodies.next());
      tally.record(reply, ticker.nanos() - due, bodies.alertsPerNotification());
    } finally {
      slots.release();
    }
  }
}
