package dev.remediator.intake;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.remediator.alert.Alert;
import dev.remediator.alert.Notification;
import dev.remediator.api.ApiError;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.store.StoreException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhook}: authenticate, bound and parse the body, hand it to the group-commit
 * writer and answer 200 only once it is committed. Bad input is a 4xx naming the field; a store
 * that is down or slower than {@link #STORE_DEADLINE} is a 503, so Alertmanager retries.
 */
public final class WebhookHandler implements Handler {
  public static final int MAX_BODY_BYTES = 1024 * 1024;
  public static final Duration STORE_DEADLINE = Duration.ofMillis(1_800);
  private static final Logger log = LoggerFactory.getLogger(WebhookHandler.class);

  private final WebhookAuth auth;
  private final PayloadParser parser;
  private final IntakeWriter writer;
  private final Clock clock;
  private final RemediatorMetrics metrics;

  public WebhookHandler(WebhookAuth auth, PayloadParser parser, IntakeWriter writer, Clock clock,
                        RemediatorMetrics metrics) {
    this.auth = auth;
    this.parser = parser;
    this.writer = writer;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public void handle(@NotNull Context ctx) {
    long started = System.nanoTime();
    ApiError refused = refuse(ctx);
    if (refused != null) {
      reject(ctx, refused, started);
      return;
    }
    byte[] body;
    try {
      body = BoundedBody.read(ctx.req().getInputStream(), MAX_BODY_BYTES);
    } catch (IOException e) {
      reject(ctx, new ApiError(400, "", "could not read the request body: " + e.getMessage()), started);
      return;
    }
    if (body == null) {
      reject(ctx, tooLarge(), started);
      return;
    }
    Notification notification;
    try {
      notification = parser.parse(body);
    } catch (PayloadException e) {
      reject(ctx, new ApiError(e.status(), e.field(), e.reason()), started);
      return;
    }
    IncomingNotification incoming = new IncomingNotification(notification,
        new String(body, StandardCharsets.UTF_8), actor(ctx), clock.instant());
    CompletableFuture<StoredNotification> stored = writer.submit(incoming)
        .orTimeout(STORE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    ctx.future(() -> stored.handle((result, failure) -> {
      if (failure == null) {
        accept(ctx, notification, result, started);
      } else {
        reject(ctx, storeFailure(failure), started);
      }
      return null;
    }));
  }

  /** Checks that need no body: credentials, content type, declared length. */
  private ApiError refuse(Context ctx) {
    if (!auth.permits(ctx.header("Authorization"))) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"remediator\"");
      return new ApiError(401, "", "missing or wrong credentials");
    }
    String contentType = ctx.contentType();
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      return new ApiError(415, "", "Content-Type must be application/json, but was "
          + (contentType == null ? "absent" : "\"" + contentType + "\""));
    }
    long declared = ctx.req().getContentLengthLong();
    if (declared > MAX_BODY_BYTES) {
      return tooLarge();
    }
    return null;
  }

  private void accept(Context ctx, Notification notification, StoredNotification stored, long started) {
    metrics.notificationReceived(notification.status().wireName());
    for (Alert alert : notification.alerts()) {
      metrics.alertReceived(alert.status().wireName());
    }
    metrics.alertsDuplicate(stored.duplicateAlerts());
    ctx.status(200).json(new Ack("stored", stored.id(),
        new Ack.Counts(notification.alerts().size(), stored.newAlerts(), stored.duplicateAlerts())));
    metrics.webhookLatency(Duration.ofNanos(System.nanoTime() - started));
  }

  private void reject(Context ctx, ApiError error, long started) {
    metrics.webhookRejected(error.status());
    error.send(ctx);
    metrics.webhookLatency(Duration.ofNanos(System.nanoTime() - started));
  }

  private static ApiError storeFailure(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof TimeoutException) {
      return new ApiError(503, "", "the store did not confirm within " + STORE_DEADLINE.toMillis()
          + " ms; not stored, retry later");
    }
    if (cause instanceof StoreException) {
      log.warn("a notification was rejected by the store: {}", cause.getMessage());
      return new ApiError(400, "", "the store rejected this notification: " + cause.getMessage());
    }
    return new ApiError(503, "", "the store is unavailable; not stored, retry later");
  }

  private static ApiError tooLarge() {
    return new ApiError(413, "", "body larger than " + MAX_BODY_BYTES + " bytes");
  }

  private static String actor(Context ctx) {
    return "alertmanager@" + ctx.ip();
  }

  /** The answer to a stored notification, in a fixed field order. */
  record Ack(String status, long notificationId, Counts alerts) {
    record Counts(int total, @JsonProperty("new") int fresh, int duplicate) {}
  }
}
