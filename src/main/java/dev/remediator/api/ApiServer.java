package dev.remediator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.intake.WebhookHandler;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP server: the one route table, JSON errors for everything, graceful stop. */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Javalin app;

  public ApiServer(ObjectMapper json, WebhookHandler webhook, HealthHandler health, ReloadHandler reload,
                   PrometheusMeterRegistry prometheus) {
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.jsonMapper(new JavalinJackson(json, false));
      config.jetty.modifyServer(server -> server.setStopTimeout(10_000));
    });
    app.post("/webhook", webhook);
    app.post("/-/reload", reload::reload);
    app.get("/-/healthy", health::healthy);
    app.get("/-/ready", health::ready);
    app.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(prometheus.scrape()));
    app.error(404, ctx -> {
      if (!ApiError.wasSent(ctx)) {
        new ApiError(404, "", "no such endpoint: " + ctx.method() + " " + ctx.path()).send(ctx);
      }
    });
    app.error(405, ctx -> new ApiError(405, "", "method " + ctx.method() + " not allowed on " + ctx.path()).send(ctx));
    app.exception(Exception.class, (e, ctx) -> {
      log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
      new ApiError(500, "", "internal error; see the server log").send(ctx);
    });
  }

  public void start(String host, int port) {
    app.start(host, port);
  }

  /** The bound port (useful when started on port 0). */
  public int port() {
    return app.port();
  }

  /** Stops accepting requests and lets in-flight ones finish. */
  @Override
  public void close() {
    app.stop();
  }
}
