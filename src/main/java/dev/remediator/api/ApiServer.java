package dev.remediator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import dev.remediator.http.Page;
import dev.remediator.http.Role;
import dev.remediator.http.SecurityHeaders;
import dev.remediator.intake.PayloadException;
import dev.remediator.intake.WebhookHandler;
import dev.remediator.metrics.RemediatorMetrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: the one route table with each route's role, errors mapped to JSON once at
 * the edge, limits on slow clients, graceful stop.
 */
public final class ApiServer implements AutoCloseable {
  /** A connection that sends nothing for this long is closed, whatever it was doing. */
  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
  /** A request body must arrive at least this fast (bytes per second, averaged from its first byte). */
  public static final long MIN_REQUEST_DATA_RATE = 1024;

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String WEBHOOK = "/webhook";
  private static final String STARTED = "remediator.started";

  private final Javalin app;
  private final RejectionLog rejections;
  private final Map<String, Set<String>> methods = new LinkedHashMap<>();
  private final List<Route> routes = new ArrayList<>();

  /** One line of the route table: who may call {@code method path}. */
  public record Route(String method, String path, Role role) {}

  public ApiServer(ObjectMapper json, WebhookHandler webhook, HealthHandler health, ReloadHandler reload,
                   RulesHandler rulesInForce,
                   ApprovalHandler approvals, RemediationsHandler remediations, PauseHandler pause,
                   BreakerHandler breakers, AuditVerifyHandler auditVerify, AuditHandler audit,
                   AlertHandler alerts, ReplayHandler replay, SimulateHandler simulate, AuditCountsHandler auditCounts,
                   Page page, Access access, RemediatorMetrics metrics, PrometheusMeterRegistry prometheus) {
    this.rejections = new RejectionLog(metrics);
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.jsonMapper(new JavalinJackson(json, false));
      config.jetty.modifyServer(server -> {
        server.setStopTimeout(10_000);
        // Graceful stop: Jetty waits for requests in flight only with a StatisticsHandler installed.
        server.insertHandler(new StatisticsHandler());
      });
      config.jetty.modifyHttpConfiguration(http -> http.setMinRequestDataRate(MIN_REQUEST_DATA_RATE));
    });
    route(HandlerType.POST, WEBHOOK, webhook, Role.WEBHOOK);
    route(HandlerType.GET, "/api/openapi.json", OpenApiDocument.fromClasspath(), Role.ANYONE);
    route(HandlerType.GET, "/api/v1/rules", rulesInForce::list, Role.VIEWER);
    route(HandlerType.POST, "/-/reload", reload::reload, Role.OPERATOR);
    route(HandlerType.GET, "/api/v1/remediations", remediations::list, Role.VIEWER);
    route(HandlerType.GET, "/api/v1/remediations/{id}", remediations::one, Role.VIEWER);
    route(HandlerType.POST, "/api/v1/remediations/{id}/approve", approvals::approve, Role.OPERATOR);
    route(HandlerType.POST, "/api/v1/remediations/{id}/reject", approvals::reject, Role.OPERATOR);
    route(HandlerType.POST, "/api/v1/pause", pause::pause, Role.OPERATOR);
    route(HandlerType.DELETE, "/api/v1/pause", pause::resume, Role.OPERATOR);
    route(HandlerType.GET, "/api/v1/breakers", breakers::list, Role.VIEWER);
    route(HandlerType.POST, "/api/v1/breakers/{action}/{target}/reset", breakers::reset, Role.OPERATOR);
    route(HandlerType.GET, "/api/v1/audit/verify", auditVerify, Role.VIEWER);
    route(HandlerType.GET, "/api/v1/audit", audit::list, Role.VIEWER);
    route(HandlerType.GET, "/api/v1/alerts/{fingerprint}", alerts::show, Role.VIEWER);
    route(HandlerType.POST, "/api/v1/replay", replay::replay, Role.OPERATOR);
    route(HandlerType.POST, "/api/v1/simulate", simulate::simulate, Role.OPERATOR);
    route(HandlerType.GET, "/api/v1/audit/counts", auditCounts::counts, Role.VIEWER);
    route(HandlerType.GET, "/", page::show, Role.ANYONE);
    route(HandlerType.POST, "/sign-in", page::signIn, Role.ANYONE);
    route(HandlerType.POST, "/sign-out", page::signOut, Role.ANYONE);
    route(HandlerType.GET, "/static/{file}", page::asset, Role.ANYONE);
    route(HandlerType.GET, "/-/healthy", health::healthy, Role.ANYONE);
    route(HandlerType.GET, "/-/ready", health::ready, Role.ANYONE);
    route(HandlerType.GET, "/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(prometheus.scrape()),
        Role.ANYONE);

    app.before(SecurityHeaders::apply);
    app.beforeMatched(access::check);
    app.before(WEBHOOK, ctx -> ctx.attribute(STARTED, System.nanoTime()));
    app.after(WEBHOOK, ctx -> {
      Long started = ctx.attribute(STARTED);
      if (started != null) {
        metrics.webhookLatency(Duration.ofNanos(System.nanoTime() - started));
      }
    });
    app.exception(ApiException.class, (e, ctx) -> answer(ctx, e.error(), e.headers(), e.getCause()));
    app.exception(PayloadException.class, (e, ctx) ->
        answer(ctx, new ApiError(e.status(), e.field(), e.reason()), Map.of(), null));
    app.exception(Exception.class, (e, ctx) -> {
      log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
      answer(ctx, new ApiError(500, "", "internal error; see the server log"), Map.of(), null);
    });
    app.error(404, ctx -> {
      if (ApiError.wasSent(ctx)) {
        return;
      }
      Set<String> allowed = methods.get(ctx.path());
      if (allowed != null) {
        answer(ctx, new ApiError(405, "", "method " + ctx.method() + " not allowed on " + ctx.path()),
            Map.of("Allow", String.join(", ", allowed)), null);
      } else {
        new ApiError(404, "", "no such endpoint: " + ctx.method() + " " + ctx.path()).send(ctx);
      }
    });
  }

  private void route(HandlerType method, String path, Handler handler, Role role) {
    methods.computeIfAbsent(path, p -> new LinkedHashSet<>()).add(method.name());
    routes.add(new Route(method.name(), path, role));
    app.addHttpHandler(method, path, handler, role);
  }

  /** Sends {@code error}; a refused webhook is also counted and logged, without its body. */
  private void answer(Context ctx, ApiError error, Map<String, String> headers, Throwable cause) {
    headers.forEach(ctx::header);
    error.send(ctx);
    if (ctx.routeRoles().contains(Role.WEBHOOK)) {
      rejections.rejected(error, ctx.ip(), cause == null ? null : cause.getMessage());
    }
  }

  public void start(String host, int port) {
    app.start(host, port);
    for (Connector connector : app.jettyServer().server().getConnectors()) {
      if (connector instanceof ServerConnector server) {
        server.setIdleTimeout(IDLE_TIMEOUT.toMillis());
      }
    }
  }

  /** The route table, read-only: every route with the role it declares. */
  public List<Route> routes() {
    return List.copyOf(routes);
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
