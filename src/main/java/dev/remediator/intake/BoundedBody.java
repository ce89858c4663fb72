package dev.remediator.intake;

import dev.remediator.http.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.eclipse.jetty.http.BadMessageException;

/**
 * Reads a request body up to a size limit and within a time limit, never buffering more than the
 * limit plus one read. A client that sends its body too slowly gets no more of our time: the
 * server's minimum data rate and idle timeout end stalled reads, and this deadline ends a body
 * that trickles in just fast enough to pass them.
 */
final class BoundedBody {
  private BoundedBody() {}

  /** The body; a 413 when it is longer than {@code limit} bytes, a 408 when it takes longer than {@code deadline}. */
  static byte[] read(InputStream in, int limit, Duration deadline) {
    long giveUpAt = System.nanoTime() + deadline.toNanos();
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 16 * 1024));
    byte[] buffer = new byte[16 * 1024];
    int total = 0;
    try {
      int n;
      while ((n = in.read(buffer)) != -1) {
        total += n;
        if (total > limit) {
          throw tooLarge(limit);
        }
        out.write(buffer, 0, n);
        if (System.nanoTime() - giveUpAt > 0) {
          throw tooSlow(deadline);
        }
      }
    } catch (BadMessageException e) {
      throw e.getCode() == 408 ? tooSlow(deadline) : new ApiException(400, "could not read the request body");
    } catch (IOException e) {
      throw new ApiException(400, "could not read the request body");
    }
    return out.toByteArray();
  }

  static ApiException tooLarge(int limit) {
    return new ApiException(413, "body larger than " + limit + " bytes");
  }

  private static ApiException tooSlow(Duration deadline) {
    return new ApiException(408, "the request body did not arrive fast enough (within " + deadline.toSeconds()
        + " s)");
  }
}
