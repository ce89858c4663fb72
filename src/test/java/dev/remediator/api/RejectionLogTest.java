package dev.remediator.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.remediator.http.ApiError;
import dev.remediator.metrics.RemediatorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RejectionLogTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));
  private final RejectionLog rejections = new RejectionLog(new RemediatorMetrics(registry), now::get);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.remediator.webhook");

  @BeforeEach
  void capture() {
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logged);
  }

  @Test
  void logsOneLinePerCodePerTenSecondsAndCountsEveryRefusal() {
    ApiError unsupported = new ApiError(415, "", "Content-Type must be application/json, but was absent");
    ApiError unavailable = new ApiError(503, "", "the store is unavailable; not acknowledged, retry later");

    rejections.rejected(unsupported, "10.0.0.1", null);
    rejections.rejected(unsupported, "10.0.0.2", null);
    rejections.rejected(unsupported, "10.0.0.3", null);
    rejections.rejected(unavailable, "10.0.0.4", "connection refused");
    now.addAndGet(TimeUnit.SECONDS.toNanos(10));
    rejections.rejected(unsupported, "10.0.0.5", null);

    assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "webhook from 10.0.0.1 refused with 415: Content-Type must be application/json, but was absent",
        "webhook from 10.0.0.4 refused with 503: the store is unavailable; not acknowledged, retry later "
            + "(connection refused)",
        "webhook from 10.0.0.5 refused with 415: Content-Type must be application/json, but was absent; "
            + "2 more refused with 415 since the last line");
    assertThat(registry.get("remediator_webhook_rejected").tag("code", "415").counter().count()).isEqualTo(4.0);
    assertThat(registry.get("remediator_webhook_rejected").tag("code", "503").counter().count()).isEqualTo(1.0);
  }
}
