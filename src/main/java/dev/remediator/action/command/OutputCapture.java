package dev.remediator.action.command;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads a process's merged stdout and stderr on its own thread until end of stream, keeping the
 * first {@code limit} bytes and counting the rest, so a chatty process never blocks on a full pipe.
 */
final class OutputCapture implements Runnable {
  private final InputStream in;
  private final byte[] kept;
  private final CountDownLatch finished = new CountDownLatch(1);
  private int keptLength;
  private long total;
  private IOException failure;

  private OutputCapture(InputStream in, int limit) {
    this.in = in;
    this.kept = new byte[limit];
  }

  /** Starts reading {@code in} on a new daemon thread called {@code threadName}. */
  static OutputCapture start(InputStream in, int limit, String threadName) {
    OutputCapture capture = new OutputCapture(in, limit);
    Thread reader = new Thread(capture, threadName);
    reader.setDaemon(true);
    reader.start();
    return capture;
  }

  @Override
  public void run() {
    byte[] buffer = new byte[8192];
    try (in) {
      int read;
      while ((read = in.read(buffer)) != -1) {
        append(buffer, read);
      }
    } catch (IOException e) {
      synchronized (this) {
        failure = e;
      }
    } finally {
      finished.countDown();
    }
  }

  private synchronized void append(byte[] buffer, int length) {
    int room = Math.min(length, kept.length - keptLength);
    System.arraycopy(buffer, 0, kept, keptLength, room);
    keptLength += room;
    total += length;
  }

  /**
   * The output read so far, waiting up to {@code grace} for end of stream. The stream can stay
   * open after the process ended when a background child inherited it; then what was read is
   * returned with a note, and the reader goes on until the child closes it.
   */
  String awaitText(Duration grace) throws InterruptedException {
    boolean complete = finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
    synchronized (this) {
      StringBuilder text = new StringBuilder(new String(kept, 0, keptLength, StandardCharsets.UTF_8));
      if (total > keptLength) {
        text.append("\n[output truncated: kept the first ").append(keptLength).append(" of ").append(total)
            .append(" bytes]");
      }
      if (failure != null) {
        text.append("\n[reading output failed: ").append(failure.getMessage()).append(']');
      }
      if (!complete) {
        text.append("\n[output still open after the process ended; a background process may hold it]");
      }
      return text.toString();
    }
  }
}
