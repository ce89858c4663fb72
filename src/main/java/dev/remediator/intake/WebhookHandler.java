package dev.remediator.intake;

import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Notification;
import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.StoredNotification;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jetbrains.annotations.NotNull;

/**
 * {@code POST /webhook}: bound and parse the body, hand it to the group-commit writer and answer
 * 200 only once it is committed. Credentials are checked before this handler by the route's
 * role. Bad input is a 4xx naming the field; a store that is down or slower than
 * {@link #STORE_DEADLINE} is a 503, so Alertmanager retries. Every refusal is thrown and answered
 * at the edge.
 */
public final class WebhookHandler implements Handler {
  public static final int MAX_BODY_BYTES = 1024 * 1024;
  public static final Duration STORE_DEADLINE = Duration.ofMillis(1_800);
  /** The longest a client may take to send its body, however steadily it sends. */
  public static final Duration READ_DEADLINE = Duration.ofSeconds(10);

  private final PayloadParser parser;
  private final IntakeWriter writer;
  private final Clock clock;
  private final RemediatorMetrics metrics;
  private final Optional<GrafanaSignature> grafana;

  public WebhookHandler(PayloadParser parser, IntakeWriter writer, Clock clock, RemediatorMetrics metrics) {
    this(parser, writer, clock, metrics, Optional.empty());
  }

  /** With {@code grafana}, a Grafana payload must carry a valid, fresh HMAC signature. */
  public WebhookHandler(PayloadParser parser, IntakeWriter writer, Clock clock, RemediatorMetrics metrics,
                        Optional<GrafanaSignature> grafana) {
    this.parser = parser;
    this.writer = writer;
    this.clock = clock;
    this.metrics = metrics;
    this.grafana = grafana;
  }

  @Override
  public void handle(@NotNull Context ctx) throws IOException {
    checkHeaders(ctx);
    byte[] body = BoundedBody.read(ctx.req().getInputStream(), MAX_BODY_BYTES, READ_DEADLINE);
    Notification notification = parser.parse(body);
    if (PayloadParser.GRAFANA_VERSION.equals(notification.version())) {
      grafana.ifPresent(signature -> signature.verify(body, ctx.header(GrafanaSignature.SIGNATURE_HEADER),
          ctx.header(GrafanaSignature.TIMESTAMP_HEADER)));
    }
    IncomingNotification incoming = new IncomingNotification(notification,
        new String(body, StandardCharsets.UTF_8), actor(ctx), clock.instant());
    accept(ctx, notification, await(writer.submit(incoming)));
  }

  /**
   * Waits on the request's own thread for the commit, up to {@link #STORE_DEADLINE}. Answering
   * here costs one response write; an async answer cost the servlet container a second dispatch
   * per request, about a third of intake's CPU under load. A request that gives up marks its
   * notification answered, so the writer drops it rather than store what was not acknowledged.
   */
  private static StoredNotification await(CompletableFuture<StoredNotification> stored) {
    try {
      return stored.get(STORE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      if (stored.completeExceptionally(e)) {
        throw storeFailure(e);
      }
      return await(stored);   // committed just now: answer with it
    } catch (ExecutionException e) {
      throw storeFailure(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stored.completeExceptionally(e);
      throw storeFailure(e);
    }
  }

  /** Checks that need no body: content type, declared length. */
  private static void checkHeaders(Context ctx) {
    String contentType = ctx.contentType();
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new ApiException(415, "Content-Type must be application/json, but was "
          + (contentType == null ? "absent" : "\"" + contentType + "\""));
    }
    if (ctx.req().getContentLengthLong() > MAX_BODY_BYTES) {
      throw BoundedBody.tooLarge(MAX_BODY_BYTES);
    }
  }

  private void accept(Context ctx, Notification notification, StoredNotification stored) {
    metrics.notificationReceived(notification.status().wireName());
    int firing = 0;
    for (Alert alert : notification.alerts()) {
      firing += alert.status() == AlertStatus.FIRING ? 1 : 0;
    }
    if (firing > 0) {
      metrics.alertsReceived(AlertStatus.FIRING.wireName(), firing);
    }
    if (firing < notification.alerts().size()) {
      metrics.alertsReceived(AlertStatus.RESOLVED.wireName(), notification.alerts().size() - firing);
    }
    metrics.alertsDuplicate(stored.duplicateAlerts());
    ctx.status(200).contentType("application/json").result(ack(stored.id(), notification.alerts().size(),
        stored.newAlerts(), stored.duplicateAlerts()));
  }

  /**
   * The answer to a notification that was not committed in time. It may still be committed
   * later, so the answer says it was not acknowledged (a retry is then a harmless duplicate).
   */
  private static RuntimeException storeFailure(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof TimeoutException || cause instanceof InterruptedException) {
      return new ApiException(503, "the store did not confirm within " + STORE_DEADLINE.toMillis()
          + " ms; not acknowledged, retry later");
    }
    if (cause instanceof PayloadException refused) {
      return refused;
    }
    return new ApiException(new ApiError(503, "", "the store is unavailable; not acknowledged, retry later"), Map.of(),
        cause);
  }

  private static String actor(Context ctx) {
    return "alertmanager@" + ctx.ip();
  }

  /**
   * The answer to a stored notification, in a fixed field order:
   * {@code {"status":"stored","notificationId":7,"alerts":{"total":1,"new":1,"duplicate":0}}}.
   * Numbers only, so it is written directly rather than through an object mapper.
   */
  static String ack(long notificationId, int total, int fresh, int duplicate) {
    return "{\"status\":\"stored\",\"notificationId\":" + notificationId + ",\"alerts\":{\"total\":" + total
        + ",\"new\":" + fresh + ",\"duplicate\":" + duplicate + "}}";
  }
}
