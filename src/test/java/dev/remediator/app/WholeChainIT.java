package dev.remediator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.remediator.testing.AlertmanagerProcess;
import dev.remediator.testing.PrometheusProcess;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The whole chain, every part real: a small HTTP service exposes {@code http_requests_total};
 * the Debian Prometheus scrapes it every second and evaluates the shipped
 * {@code rules/prometheus/*.yml}; the Debian Alertmanager, started from the shipped
 * {@code alertmanager/alertmanager.yml}, routes HighErrorRate to remediator's {@code /webhook}
 * with the bearer token from its credentials file; remediator (PostgreSQL store, not dry run)
 * flushes keys in the real Redis and records the resolve.
 *
 * <p>The shipped files are copied with only these textual changes, so that the chain runs in
 * seconds instead of minutes:
 * <ul>
 *   <li>runbooks.rules.yml: every rate window {@code [5m]} becomes {@code [10s]} (5m windows
 *       would keep the 5xx in the ratio for 5 minutes after the service heals), and
 *       HighErrorRate's {@code for: 5m} becomes {@code for: 2s}; every expression is otherwise
 *       unchanged. remediator.rules.yml is copied unchanged.</li>
 *   <li>alertmanager.yml: the webhook URL ({@code http://remediator:9095/webhook}) and the
 *       credentials file path point at the test's; the remediator routes' {@code group_wait: 10s}
 *       and {@code group_interval: 30s} become 1s each.</li>
 * </ul>
 */
class WholeChainIT {
  private static final Path SHIPPED_RULES = Path.of("rules/prometheus");
  private static final Path SHIPPED_ALERTMANAGER = Path.of("alertmanager/alertmanager.yml");
  private static final String TOKEN = "am-chain-s3cret";
  private static final int REDIS_DB = 11;
  private static final Duration CHAIN = Duration.ofSeconds(60);

  private final String tag = "chain" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @TempDir
  Path dir;

  @Test
  void aFailingServiceIsRemediatedThroughPrometheusAndAlertmanagerAndItsResolveIsRecorded() throws Exception {
    TestDatabase store = new TestDatabase();
    List<AutoCloseable> running = new ArrayList<>(List.of(store));
    try {
      seedKeys();
      MetricsService service = new MetricsService();
      running.add(service);
      RunningApp app = RunningApp.start(dir, remediationRules(), Optional.of(store.storeUrl()), Optional.of(TOKEN),
          Optional.empty(), false, Map.of());
      running.add(app);
      AlertmanagerProcess alertmanager = AlertmanagerProcess.builder(URI.create(app.url("/webhook")))
          .configText(shippedAlertmanager(URI.create(app.url("/webhook")))).start();
      running.add(alertmanager);
      PrometheusProcess prometheus = PrometheusProcess.start(prometheusConfig(service.port(),
          List.of(alertmanager.url())), shippedRules());
      running.add(prometheus);

      String remediation = awaitSucceeded(app, prometheus, alertmanager);
      assertThat(keys(tag + ":api:*")).isEmpty();
      assertThat(keys(tag + ":other:*")).hasSize(3);
      String fingerprint = remediation.split(" \\| ")[1];
      List<String> kinds = app.rows("select kind from audit_event where fingerprint = ? and kind <> 'duplicate'"
          + " order by id", fingerprint);
      assertThat(collapsedGuards(kinds))
          .as("audit trail of the HighErrorRate remediation")
          .containsExactly("received", "matched", "guard...", "decided", "started", "succeeded");

      service.heal();
      await().atMost(CHAIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(app.rows("select status from alert where fingerprint = ? and alertname = 'HighErrorRate'"
              + " order by id", fingerprint))
              .as("alert rows; Prometheus log tail:\n%s", tail(prometheus.log()))
              .containsExactly("firing", "resolved"));
      assertThat(app.rows("select count(*) from remediation")).containsExactly("1");
    } finally {
      closeAll(running);
      deleteKeys();
    }
  }

  @Test
  void twoClusteredAlertmanagersAndARefusingRemediatorStillActExactlyOnce() throws Exception {
    TestDatabase store = new TestDatabase();
    List<AutoCloseable> running = new ArrayList<>(List.of(store));
    try {
      seedKeys();
      MetricsService service = new MetricsService();
      running.add(service);
      RunningApp app = RunningApp.start(dir, remediationRules(), Optional.of(store.storeUrl()), Optional.of(TOKEN),
          Optional.empty(), false, Map.of());
      running.add(app);
      RefusingProxy proxy = new RefusingProxy(URI.create(app.url("/webhook")), 4);
      running.add(proxy);
      int gossip1 = freePort();
      int gossip2 = freePort();
      AlertmanagerProcess first = clustered(proxy.url(), gossip1, gossip2);
      running.add(first);
      AlertmanagerProcess second = clustered(proxy.url(), gossip2, gossip1);
      running.add(second);
      PrometheusProcess prometheus = PrometheusProcess.start(prometheusConfig(service.port(),
          List.of(first.url(), second.url())), shippedRules());
      running.add(prometheus);

      String remediation = awaitSucceeded(app, prometheus, first);
      for (AlertmanagerProcess peer : List.of(first, second)) {
        await().atMost(CHAIN).untilAsserted(() -> assertThat(get(peer.url().resolve("/api/v2/alerts")))
            .as("alerts held by %s", peer.url()).contains("\"alertname\":\"HighErrorRate\""));
        await().atMost(CHAIN).untilAsserted(() -> assertThat(get(peer.url().resolve("/api/v2/status")))
            .as("cluster status of %s: ready, with both peers", peer.url())
            .contains("\"status\":\"ready\"", "\"address\":\"127.0.0.1:" + gossip1 + "\"",
                "\"address\":\"127.0.0.1:" + gossip2 + "\""));
      }
      assertThat(proxy.refused()).as("webhook calls answered 503").isEqualTo(4);
      assertThat(proxy.forwarded()).as("webhook calls passed to remediator").isPositive();
      String fingerprint = remediation.split(" \\| ")[1];
      assertThat(app.rows("select count(*) from remediation")).containsExactly("1");
      assertThat(app.rows("select count(*) from audit_event where kind = 'started'")).containsExactly("1");
      assertThat(app.rows("select count(*) from audit_event where kind = 'succeeded' and fingerprint = ?",
          fingerprint)).containsExactly("1");
      assertThat(keys(tag + ":api:*")).isEmpty();
      assertThat(keys(tag + ":other:*")).hasSize(3);
    } finally {
      closeAll(running);
      deleteKeys();
    }
  }

  /** Waits until the one remediation has succeeded and the keys are gone; answers {@code state | fingerprint}. */
  private String awaitSucceeded(RunningApp app, PrometheusProcess prometheus, AlertmanagerProcess alertmanager) {
    await().atMost(CHAIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      assertThat(app.rows("select state, fingerprint, rule_name from remediation"))
          .as("remediations; Prometheus alerts: %s%nAlertmanager log tail:%n%s",
              prometheus.get("/api/v1/alerts"), tail(alertmanager.log()))
          .singleElement().asString().startsWith("succeeded | ").endsWith(" | flush-api-cache");
      assertThat(keys(tag + ":api:*")).isEmpty();
    });
    return app.rows("select state, fingerprint from remediation").get(0);
  }

  private AlertmanagerProcess clustered(URI webhook, int gossip, int peer) throws IOException {
    return AlertmanagerProcess.builder(webhook)
        .configText(shippedAlertmanager(webhook))
        .args("--cluster.listen-address=127.0.0.1:" + gossip,
            "--cluster.advertise-address=127.0.0.1:" + gossip,
            "--cluster.peer=127.0.0.1:" + peer,
            "--cluster.peer-timeout=2s",
            "--cluster.gossip-interval=100ms",
            "--cluster.pushpull-interval=1s")
        .start();
  }

  private String remediationRules() {
    return """
        settings: {dry_run: false}
        targets:
          cache: {kind: redis, url: "redis://127.0.0.1:6379/%d"}
        rules:
          - name: flush-api-cache
            match: ['alertname="HighErrorRate"', 'severity="critical"']
            action: flush_cache
            target: cache
            with: {pattern: "%s:{{ labels.service }}:*"}
            allow: {service: "[a-z]{1,20}"}
        """.formatted(REDIS_DB, tag);
  }

  private static String prometheusConfig(int servicePort, List<URI> alertmanagers) {
    StringBuilder targets = new StringBuilder();
    for (URI alertmanager : alertmanagers) {
      targets.append(targets.isEmpty() ? "" : ", ").append("'127.0.0.1:").append(alertmanager.getPort()).append('\'');
    }
    return """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        rule_files: ['{{rules}}/*.yml']
        scrape_configs:
          - job_name: api
            static_configs:
              - targets: ['127.0.0.1:%d']
        alerting:
          alertmanagers:
            - static_configs:
                - targets: [%s]
        """.formatted(servicePort, targets);
  }

  /** The shipped Prometheus rule files, with the changes listed in the class comment. */
  private static Map<String, String> shippedRules() throws IOException {
    String runbooks = Files.readString(SHIPPED_RULES.resolve("runbooks.rules.yml"));
    assertThat(runbooks).as("shipped runbooks.rules.yml uses [5m] windows").contains("[5m]");
    runbooks = replaceOnce(runbooks, """
              - alert: HighErrorRate
                expr: service:http_requests_errors:ratio_rate5m > 0.05
                for: 5m
        """, """
              - alert: HighErrorRate
                expr: service:http_requests_errors:ratio_rate5m > 0.05
                for: 2s
        """).replace("[5m]", "[10s]");
    return Map.of(
        "runbooks.rules.yml", runbooks,
        "remediator.rules.yml", Files.readString(SHIPPED_RULES.resolve("remediator.rules.yml")));
  }

  /** The shipped Alertmanager configuration, with the changes listed in the class comment. */
  private String shippedAlertmanager(URI webhook) throws IOException {
    Path tokenFile = Files.writeString(Files.createTempFile(dir, "remediator-token", ""), TOKEN + "\n");
    String config = Files.readString(SHIPPED_ALERTMANAGER);
    config = replaceOnce(config, "url: http://remediator:9095/webhook", "url: " + webhook);
    config = replaceOnce(config, "credentials_file: /etc/alertmanager/remediator-token",
        "credentials_file: " + tokenFile);
    String timings = """
              group_wait: 10s
              group_interval: 30s
        """;
    assertThat(config).as("shipped alertmanager.yml route timings").contains(timings);
    return config.replace(timings, """
              group_wait: 1s
              group_interval: 1s
        """);
  }

  private static String replaceOnce(String text, String from, String to) {
    int at = text.indexOf(from);
    assertThat(at).as("shipped file contains %s", from).isNotNegative();
    assertThat(text.indexOf(from, at + 1)).as("shipped file contains %s only once", from).isNegative();
    return text.replace(from, to);
  }

  /** The audit kinds with each run of {@code guard} events written as one {@code guard...}. */
  private static List<String> collapsedGuards(List<String> kinds) {
    List<String> collapsed = new ArrayList<>();
    for (String kind : kinds) {
      String entry = kind.equals("guard") ? "guard..." : kind;
      if (!(entry.equals("guard...") && !collapsed.isEmpty() && collapsed.get(collapsed.size() - 1).equals(entry))) {
        collapsed.add(entry);
      }
    }
    return collapsed;
  }

  private void seedKeys() {
    try (Jedis redis = redis()) {
      for (int i = 0; i < 10; i++) {
        redis.set(tag + ":api:" + i, "v" + i);
      }
      for (int i = 0; i < 3; i++) {
        redis.set(tag + ":other:" + i, "v" + i);
      }
    }
    assertThat(keys(tag + ":api:*")).hasSize(10);
  }

  private void deleteKeys() {
    try (Jedis redis = redis()) {
      Set<String> left = keys(tag + ":*");
      if (!left.isEmpty()) {
        redis.del(left.toArray(String[]::new));
      }
    }
  }

  private static Set<String> keys(String pattern) {
    try (Jedis redis = redis()) {
      Set<String> found = new TreeSet<>();
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = redis.scan(cursor, new ScanParams().match(pattern).count(1000));
        found.addAll(page.getResult());
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      return found;
    }
  }

  private static Jedis redis() {
    Jedis redis = new Jedis("127.0.0.1", 6379);
    redis.select(REDIS_DB);
    return redis;
  }

  private static String get(URI uri) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static String tail(String log) {
    String[] lines = log.split("\n");
    return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 30), lines.length));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void closeAll(List<AutoCloseable> running) throws Exception {
    Exception first = null;
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static HttpServer loopbackServer() throws IOException {
    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
  }

  private static void answer(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * The service Prometheus watches: every scrape of {@code /metrics} counts 100 more requests
   * answered 200 and, until {@link #heal()}, 20 more answered 500 (a 5xx ratio of 1/6).
   */
  private static final class MetricsService implements AutoCloseable {
    private final HttpServer server;
    private final AtomicBoolean failing = new AtomicBoolean(true);
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    MetricsService() throws IOException {
      server = loopbackServer();
      server.createContext("/metrics", exchange -> {
        synchronized (this) {
          ok.addAndGet(100);
          if (failing.get()) {
            errors.addAndGet(20);
          }
        }
        String text = """
            # HELP http_requests_total Requests answered, by status.
            # TYPE http_requests_total counter
            http_requests_total{service="api",namespace="prod",status="200"} %d
            http_requests_total{service="api",namespace="prod",status="500"} %d
            """.formatted(ok.get(), errors.get());
        answer(exchange, 200, text.getBytes(StandardCharsets.UTF_8), "text/plain; version=0.0.4");
      });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    void heal() {
      failing.set(false);
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /**
   * Stands in front of remediator's webhook: answers 503 to the first {@code refusals} calls,
   * as remediator does while it cannot store, then passes each call on with its body and headers.
   */
  private static final class RefusingProxy implements AutoCloseable {
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();

    RefusingProxy(URI webhook, int refusals) throws IOException {
      server = loopbackServer();
      server.createContext("/webhook", exchange -> {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
          body = in.readAllBytes();
        }
        synchronized (this) {
          if (refused.get() < refusals) {
            refused.incrementAndGet();
            answer(exchange, 503, "starting".getBytes(StandardCharsets.UTF_8), "text/plain");
            return;
          }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : List.of("Authorization", "Content-Type")) {
          String value = exchange.getRequestHeaders().getFirst(header);
          if (value != null) {
            request.header(header, value);
          }
        }
        try {
          HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
          forwarded.incrementAndGet();
          answer(exchange, response.statusCode(), response.body(),
              response.headers().firstValue("Content-Type").orElse(null));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          answer(exchange, 502, new byte[0], null);
        } catch (IOException e) {
          answer(exchange, 502, e.toString().getBytes(StandardCharsets.UTF_8), "text/plain");
          throw new UncheckedIOException(e);
        }
      });
      server.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/webhook");
    }

    int refused() {
      return refused.get();
    }

    int forwarded() {
      return forwarded.get();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
