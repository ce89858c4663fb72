package dev.remediator.api;

import dev.remediator.http.ApiError;
import dev.remediator.metrics.RemediatorMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every refused webhook by status code and logs it at WARN with the remote address and
 * the reason, never the body; at most one line per code per {@link #EVERY}, the next line saying
 * how many were left out in between, so a misconfigured sender cannot flood the log.
 */
public final class RejectionLog {
  static final Duration EVERY = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger("dev.remediator.webhook");

  private final RemediatorMetrics metrics;
  private final LongSupplier nanoTime;
  private final Map<Integer, Window> windows = new ConcurrentHashMap<>();

  public RejectionLog(RemediatorMetrics metrics) {
    this(metrics, System::nanoTime);
  }

  RejectionLog(RemediatorMetrics metrics, LongSupplier nanoTime) {
    this.metrics = metrics;
    this.nanoTime = nanoTime;
  }

  /** Records one refusal; {@code detail} (may be null) is what the server knows beyond the reason. */
  public void rejected(ApiError error, String remote, String detail) {
    metrics.webhookRejected(error.status());
    long suppressed = windows.computeIfAbsent(error.status(), code -> new Window()).admit(nanoTime.getAsLong());
    if (suppressed < 0) {
      return;
    }
    log.atWarn().addKeyValue("code", error.status()).addKeyValue("remote", remote)
        .log("webhook from {} refused with {}: {}{}{}{}", remote, error.status(),
            error.field().isEmpty() ? "" : error.field() + ": ", error.reason(),
            detail == null ? "" : " (" + detail + ")",
            suppressed == 0 ? "" : "; " + suppressed + " more refused with " + error.status() + " since the last line");
  }

  /** One code's logging window. */
  private static final class Window {
    private long lastLogged = Long.MIN_VALUE;
    private long suppressed;

    /** The count left out since the last line if this one may be logged, or -1 when it is left out. */
    synchronized long admit(long now) {
      if (lastLogged != Long.MIN_VALUE && now - lastLogged < EVERY.toNanos()) {
        suppressed++;
        return -1;
      }
      lastLogged = now;
      long left = suppressed;
      suppressed = 0;
      return left;
    }
  }
}
