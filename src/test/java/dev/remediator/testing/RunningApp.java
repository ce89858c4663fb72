package dev.remediator.testing;

import dev.remediator.app.RemediatorApp;
import dev.remediator.app.ServeConfig;
import dev.remediator.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The real application, started on a free loopback port with a rules file written for the test,
 * plus an HTTP client and a way to read the store. Close it to stop everything.
 */
public final class RunningApp implements AutoCloseable {
  public static final MediaType JSON = MediaType.get("application/json");
  public static final String WEBHOOK_TOKEN = "hook-token";
  public static final String OPERATOR_TOKEN = "operator-token";
  /** The Authorization header of Alertmanager's webhook calls, as {@link #withTokens} configures it. */
  public static final String WEBHOOK = "Bearer " + WEBHOOK_TOKEN;
  /** The Authorization header of an operator's calls, as {@link #withTokens} configures it. */
  public static final String OPERATOR = "Bearer " + OPERATOR_TOKEN;

  private final RemediatorApp app;
  private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(20)).build();
  private final Path rules;

  private RunningApp(RemediatorApp app, Path rules) {
    this.app = app;
    this.rules = rules;
  }

  /** Starts the app with {@code rulesYaml}; {@code databaseUrl} empty means the embedded store in {@code dir}. */
  public static RunningApp start(Path dir, String rulesYaml, Optional<String> databaseUrl, Optional<String> webhookToken,
                                 Optional<String> operatorToken, boolean dryRun, Map<String, String> env) {
    return start(dir, rulesYaml, databaseUrl, webhookToken, operatorToken, dryRun, env, UnaryOperator.identity());
  }

  /** As above, with the config changed by {@code adjust} before the app starts. */
  public static RunningApp start(Path dir, String rulesYaml, Optional<String> databaseUrl, Optional<String> webhookToken,
                                 Optional<String> operatorToken, boolean dryRun, Map<String, String> env,
                                 UnaryOperator<ServeConfig> adjust) {
    try {
      Path rules = dir.resolve("remediation.yml");
      Files.writeString(rules, rulesYaml);
      String url = databaseUrl.orElse(Database.sqliteUrl(dir.resolve("store.db").toAbsolutePath()));
      ServeConfig config = new ServeConfig("127.0.0.1", 0, rules, Optional.of(url), webhookToken, operatorToken, dryRun,
          4, Clock.systemUTC());
      return new RunningApp(RemediatorApp.start(adjust.apply(config), env), rules);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts the app on the embedded store with {@code rulesYaml}, the webhook guarded by
   * {@link #WEBHOOK_TOKEN} and operator calls by {@link #OPERATOR_TOKEN}, as the API tests need it.
   */
  public static RunningApp withTokens(Path dir, String rulesYaml) {
    return withTokens(dir, rulesYaml, UnaryOperator.identity());
  }

  /** As above, with the config changed by {@code adjust} before the app starts. */
  public static RunningApp withTokens(Path dir, String rulesYaml, UnaryOperator<ServeConfig> adjust) {
    return start(dir, rulesYaml, Optional.empty(), Optional.of(WEBHOOK_TOKEN), Optional.of(OPERATOR_TOKEN), false,
        Map.of(), adjust);
  }

  /**
   * A notification of one firing {@code Load} alert whose {@code id} label and fingerprint are
   * {@code id}: the alert the API tests' rules match.
   */
  public static String firingLoad(String id) {
    return """
        {"version":"4","groupKey":"g","truncatedAlerts":0,"status":"firing","receiver":"remediator",
         "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://alertmanager:9093",
         "alerts":[{"status":"firing","labels":{"alertname":"Load","id":"%1$s"},"annotations":{},
         "startsAt":"2026-11-22T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"%1$s"}]}"""
        .formatted(id);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + app.port() + path;
  }

  public Path rulesFile() {
    return rules;
  }

  public RemediatorApp app() {
    return app;
  }

  /** POSTs {@code body} as JSON with {@code headers}. */
  public Answer post(String path, byte[] body, Map<String, String> headers) {
    Request.Builder request = new Request.Builder().url(url(path))
        .post(RequestBody.create(body, MediaType.get("application/json")));
    headers.forEach(request::header);
    return call(request.build());
  }

  /** POSTs {@code body} with the given content type and Authorization header (either may be null). */
  public Answer post(String path, String body, String contentType, String authorization) {
    Request.Builder request = new Request.Builder().url(url(path))
        .post(RequestBody.create(body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            contentType == null ? null : MediaType.get(contentType)));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return call(request.build());
  }

  /** DELETEs {@code path} with the Authorization header (may be null). */
  public Answer delete(String path, String authorization) {
    Request.Builder request = new Request.Builder().url(url(path)).delete();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return call(request.build());
  }

  public Answer get(String path) {
    return call(new Request.Builder().url(url(path)).get().build());
  }

  /** GETs {@code path} with the given Authorization header (null for none). */
  public Answer get(String path, String authorization) {
    Request.Builder request = new Request.Builder().url(url(path)).get();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return call(request.build());
  }

  /** Sends {@code method path} with {@code headers} (Authorization, Accept, ...) and, where the method needs one, an empty body. */
  public Answer send(String method, String path, Map<String, String> headers) {
    RequestBody body = List.of("POST", "PUT", "PATCH").contains(method) ? RequestBody.create(new byte[0], null) : null;
    Request.Builder request = new Request.Builder().url(url(path)).method(method, body);
    headers.forEach(request::header);
    return call(request.build());
  }

  private Answer call(Request request) {
    try (Response response = http.newCall(request).execute()) {
      return new Answer(response.code(), response.body() == null ? "" : response.body().string(),
          response.header("Content-Type"));
    } catch (IOException e) {
      throw new UncheckedIOException("request " + request.method() + " " + request.url() + " failed", e);
    }
  }

  /** Rows of a query on the app's own store; see {@link Rows}. */
  public List<String> rows(String sql, Object... args) {
    return Rows.of(app.database(), sql, args);
  }

  @Override
  public void close() {
    app.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /** An HTTP answer: status, body, content type. */
  public record Answer(int status, String body, String contentType) {}
}
