package dev.remediator.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;

/**
 * The closed model: each of {@code connections} senders sends, waits for the answer and sends
 * again until the duration is over; latency runs from each send to its answer. The throughput it
 * reaches is the most the server takes from that many clients.
 */
final class ClosedLoop {
  private final Ticker ticker;
  private final Executor executor;

  ClosedLoop(Ticker ticker, Executor executor) {
    this.ticker = ticker;
    this.executor = executor;
  }

  LoadResult run(int connections, Duration duration, Notifications bodies, Sender sender)
      throws InterruptedException {
    Tally tally = new Tally();
    long start = ticker.nanos();
    long end = start + duration.toNanos();
    CountDownLatch done = new CountDownLatch(connections);
    for (int c = 0; c < connections; c++) {
      executor.execute(() -> {
        try {
          while (ticker.nanos() < end) {
            long began = ticker.nanos();
            Reply reply = Sends.send(sender, bodies.next());
            tally.record(reply, ticker.nanos() - began, bodies.alertsPerNotification());
          }
        } finally {
          done.countDown();
        }
      });
    }
    done.await();
    return tally.result(ticker.nanos() - start);
  }
}
