package dev.remediator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.remediator.testing.Replicas;
import dev.remediator.testing.Rows;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.RunningApp.Answer;
import dev.remediator.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The native actions, live (not dry run), as a user would check them: alerts posted to
 * {@code /webhook} of the real app on the real PostgreSQL store, with rules whose targets are a
 * second real PostgreSQL database, the real Redis (db 12), a kubeconfig pointing at a stand-in
 * API server, a stand-in for Railway's GraphQL endpoint and a script standing in for
 * {@code docker compose}; each test looks for the effect in the system acted on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NativeActionsEndToEndTest {
  @RegisterExtension
  static final TestDatabase STORE = new TestDatabase();
  @RegisterExtension
  static final TestDatabase APP_DB = new TestDatabase();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final String WEBHOOK_TOKEN = "alertmanager:e2e-s3cret";
  private static final String KUBE_TOKEN = "kubeconfig-token-e2e";
  private static final String RAILWAY_TOKEN = "railway-token-e2e";
  private static final int REDIS_DB = 12;
  private static final String DEPLOYMENT_PATH = "/apis/apps/v1/namespaces/prod/deployments/api";
  /** kill_idle_connections' idle_for, and how long the old connections wait idle before the alert. */
  private static final String IDLE_FOR = "5s";
  private static final Duration OLD = Duration.ofSeconds(6);

  private final String tag = "e2e" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final MockWebServer cluster = new MockWebServer();
  private final MockWebServer railway = new MockWebServer();
  /** The connections the test holds to the application database, by backend pid. */
  private final Map<Integer, Connection> held = new LinkedHashMap<>();
  private final List<Integer> oldPool = new ArrayList<>();
  private int oldOther;

  @TempDir
  static Path dir;
  Path compose;
  RunningApp app;

  @BeforeAll
  void start() throws Exception {
    for (int i = 0; i < 3; i++) {
      oldPool.add(hold(application("pool")));
    }
    oldOther = hold(application("other"));

    cluster.setDispatcher(new ApiServer());
    cluster.start();
    railway.setDispatcher(new RailwayGraphQl());
    railway.start();

    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
          - name: test
            cluster: {server: "%s"}
        contexts:
          - name: test
            context: {cluster: test, user: remediator, namespace: prod}
        current-context: test
        users:
          - name: remediator
            user: {token: %s}
        """.formatted(cluster.url("/"), KUBE_TOKEN));
    Path railwayToken = Files.writeString(dir.resolve("railway-token"), RAILWAY_TOKEN + "\n");
    compose = Files.createDirectories(dir.resolve("compose"));
    Path script = Files.writeString(compose.resolve("compose"), """
        #!/bin/sh
        case "$1" in
          replicas) cat replicas ;;
          up) echo "$*" >> calls; echo "$2" | cut -d= -f2 > replicas; echo "scaled $2" ;;
          *) echo "unknown command $1" >&2; exit 2 ;;
        esac
        """);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    Files.writeString(compose.resolve("replicas"), "2\n");

    String rules = """
        settings: {dry_run: false}
        targets:
          app-db: {kind: postgres, jdbc_url: "%1$s", user: postgres}
          cache: {kind: redis, url: "redis://127.0.0.1:6379/%2$d"}
          cluster: {kind: kubernetes, kubeconfig: "%3$s"}
          railway: {kind: railway, api_url: "%4$s", token_file: "%5$s"}
          compose: {kind: command, working_dir: "%6$s"}
        rules:
          - name: kill-idle-db-connections
            match: ['alertname="DatabaseConnectionPoolExhausted"']
            action: kill_idle_connections
            target: app-db
            with: {idle_for: %7$s, database: "%8$s", application_name: "%9$s-{{ labels.id }}"}
            allow: {id: "[a-z]{1,20}"}
          - name: flush-stale-cache
            match: ['alertname="CacheStale"']
            action: flush_cache
            target: cache
            with: {pattern: "%9$s:{{ labels.id }}:*"}
            allow: {id: "[a-z]{1,20}"}
          - name: restart-api
            match: ['alertname="APIDown"']
            action: restart
            target: cluster
            with: {deployment: "{{ labels.id }}"}
            allow: {id: "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"}
          - name: restart-railway-service
            match: ['alertname="RailwayServiceDown"']
            action: restart
            target: railway
            with: {project: "p-1", environment: "e-1", service: "{{ labels.id }}"}
            allow: {id: "[a-z0-9-]{1,40}"}
          - name: scale-workers
            match: ['alertname="WorkerQueueBacklog"']
            action: scale
            target: compose
            with:
              argv: ["./compose", "up", "{{ labels.id }}={replicas}"]
              query: ["./compose", "replicas"]
              factor: 2
              max_replicas: 10
            allow: {id: "worker(-[a-z0-9]{1,20})?"}
        """.formatted(APP_DB.jdbcUrl(), REDIS_DB, kubeconfig, railway.url("/graphql/v2"), railwayToken, compose,
        IDLE_FOR, APP_DB.name(), tag);
    app = RunningApp.start(dir, rules, Optional.of(STORE.storeUrl()), Optional.of(WEBHOOK_TOKEN), Optional.empty(),
        false, Map.of("PATH", "/usr/bin:/bin"));
  }

  @AfterAll
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    cluster.shutdown();
    railway.shutdown();
    for (Connection connection : held.values()) {
      connection.close();
    }
    try (Jedis redis = redis()) {
      Set<String> left = keys(redis, tag + ":*");
      if (!left.isEmpty()) {
        redis.del(left.toArray(String[]::new));
      }
    }
  }

  @Test
  void killIdleConnectionsTerminatesExactlyTheOldIdleBackendsOfTheApplication() throws Exception {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> idleLongerThan(OLD).containsAll(backends(oldPool, oldOther)));
    // Same application, but used every 200ms until the action has run, so it stays far from idle_for.
    int young = hold(application("pool"));
    ScheduledExecutorService keepYoung = Executors.newSingleThreadScheduledExecutor();
    try {
      keepYoung.scheduleWithFixedDelay(() -> touch(young), 0, 200, TimeUnit.MILLISECONDS);
      String fingerprint = post("DatabaseConnectionPoolExhausted", "pool", "00000000000e2e01");

      assertThat(settled(fingerprint)).isEqualTo("succeeded | null");
      JsonNode facts = facts(fingerprint);
      assertThat(facts.get("found").asInt()).isEqualTo(3);
      assertThat(facts.get("terminated").asInt()).isEqualTo(3);
      assertThat(ints(facts.get("pids"))).containsExactlyInAnyOrderElementsOf(oldPool);
    } finally {
      keepYoung.shutdownNow();
      assertThat(keepYoung.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(backendsOf(tag)).containsExactlyInAnyOrder(
        young, oldOther));
    for (int pid : oldPool) {
      assertThatThrownBy(() -> query(pid)).as("connection of terminated backend %d", pid)
          .isInstanceOf(SQLException.class);
    }
    query(young);
    query(oldOther);
  }

  @Test
  void flushCacheDeletesTheKeysMatchingThePatternAndNoOthers() throws Exception {
    try (Jedis redis = redis()) {
      for (int i = 0; i < 25; i++) {
        redis.set(tag + ":apartment:" + i, "v" + i);
      }
      for (int i = 0; i < 5; i++) {
        redis.set(tag + ":session:" + i, "v" + i);
      }
      redis.set(tag + "-apartment", "no colon, no match");
    }

    String fingerprint = post("CacheStale", "apartment", "00000000000e2e02");

    assertThat(settled(fingerprint)).isEqualTo("succeeded | null");
    try (Jedis redis = redis()) {
      assertThat(keys(redis, tag + ":apartment:*")).isEmpty();
      assertThat(keys(redis, tag + ":session:*")).hasSize(5);
      assertThat(redis.exists(tag + "-apartment")).isTrue();
    }
    JsonNode facts = facts(fingerprint);
    assertThat(facts.get("pattern").asText()).isEqualTo(tag + ":apartment:*");
    assertThat(facts.get("db").asInt()).isEqualTo(REDIS_DB);
    assertThat(facts.get("keys_deleted").asLong()).isEqualTo(25);
  }

  @Test
  void kubernetesRestartPatchesTheRestartedAtAnnotationWithTheKubeconfigsToken() throws Exception {
    String fingerprint = post("APIDown", "api", "00000000000e2e03");

    assertThat(settled(fingerprint)).isEqualTo("succeeded | null");
    RecordedRequest read = taken(cluster);
    RecordedRequest patch = taken(cluster);
    assertThat(read.getMethod() + " " + read.getPath()).isEqualTo("GET " + DEPLOYMENT_PATH);
    assertThat(patch.getMethod() + " " + patch.getPath()).isEqualTo("PATCH " + DEPLOYMENT_PATH);
    assertThat(patch.getHeader("Authorization")).isEqualTo("Bearer " + KUBE_TOKEN);
    assertThat(patch.getHeader("Content-Type")).startsWith("application/strategic-merge-patch+json");
    JsonNode facts = facts(fingerprint);
    assertThat(JSON.readTree(patch.getBody().readUtf8())).isEqualTo(JSON.readTree("""
        {"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": "%s"}}}}}
        """.formatted(facts.get("restarted_at").asText())));
    assertThat(facts.get("generation_before").asLong()).isEqualTo(4);
    assertThat(facts.get("generation_after").asLong()).isEqualTo(5);
    assertThat(cluster.getRequestCount()).isEqualTo(2);
  }

  @Test
  void railwayRestartQueriesTheLatestDeploymentThenRestartsItWithTheTokenFromItsFile() throws Exception {
    String fingerprint = post("RailwayServiceDown", "s-api", "00000000000e2e04");

    assertThat(settled(fingerprint)).isEqualTo("succeeded | null");
    JsonNode query = graphQl(taken(railway));
    JsonNode mutation = graphQl(taken(railway));
    assertThat(query.get("operationName").asText()).isEqualTo("Deployments");
    assertThat(query.get("query").asText()).contains("deployments(input: $input, first: $first)");
    assertThat(query.get("variables").get("input")).isEqualTo(JSON.readTree(
        "{\"projectId\": \"p-1\", \"environmentId\": \"e-1\", \"serviceId\": \"s-api\"}"));
    assertThat(mutation.get("operationName").asText()).isEqualTo("DeploymentRestart");
    assertThat(mutation.get("query").asText()).contains("deploymentRestart(id: $id)");
    assertThat(mutation.get("variables")).isEqualTo(JSON.readTree("{\"id\": \"d-3\"}"));
    assertThat(railway.getRequestCount()).isEqualTo(2);
    assertThat(facts(fingerprint).get("deployment").asText()).isEqualTo("d-3");
  }

  @Test
  void commandScaleReadsTheCountAndRunsTheScriptWithTheNextOne() throws Exception {
    String fingerprint = post("WorkerQueueBacklog", "worker", "00000000000e2e05");

    assertThat(settled(fingerprint)).isEqualTo("succeeded | null");
    assertThat(Files.readAllLines(compose.resolve("calls"))).containsExactly("up worker=4");
    assertThat(Files.readString(compose.resolve("replicas")).strip()).isEqualTo("4");
    JsonNode facts = facts(fingerprint);
    assertThat(facts.get("replicas_before").asInt()).isEqualTo(2);
    assertThat(facts.get("replicas_after").asInt()).isEqualTo(4);
  }

  /** Posts one firing alert {@code alertname} with label {@code id}; answers its fingerprint. */
  private String post(String alertname, String id, String fingerprint) {
    Answer answer = app.post("/webhook", Replicas.notification(alertname, id, fingerprint), "application/json",
        "Bearer " + WEBHOOK_TOKEN);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return fingerprint;
  }

  /** Waits until the alert's one remediation has finished; answers {@code state | error}. */
  private String settled(String fingerprint) {
    return await().atMost(SETTLE).until(
        () -> app.rows("select state, error from remediation where fingerprint = ?", fingerprint),
        rows -> rows.size() == 1 && !rows.get(0).startsWith("pending") && !rows.get(0).startsWith("running"))
        .get(0);
  }

  /** The facts the action reported, from the detail of the remediation's succeeded audit event. */
  private JsonNode facts(String fingerprint) throws IOException {
    List<String> details = app.rows("select detail from audit_event where fingerprint = ? and kind = 'succeeded'",
        fingerprint);
    assertThat(details).hasSize(1);
    JsonNode result = JSON.readTree(details.get(0)).get("result");
    assertThat(result).as("facts in %s", details.get(0)).isNotNull();
    return result;
  }

  /** The next request the stand-in received. */
  private static RecordedRequest taken(MockWebServer server) throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).as("a request to %s", server.url("/")).isNotNull();
    return request;
  }

  /** The body of a call to the Railway stand-in (query whitespace collapsed), once its path and token are checked. */
  private static JsonNode graphQl(RecordedRequest request) throws IOException {
    assertThat(request.getPath()).isEqualTo("/graphql/v2");
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + RAILWAY_TOKEN);
    ObjectNode body = (ObjectNode) JSON.readTree(request.getBody().readUtf8());
    return body.put("query", body.path("query").asText().replaceAll("\\s+", " ").strip());
  }

  private String application(String name) {
    return tag + "-" + name;
  }

  /** Opens a connection to the application database as {@code application}; answers its backend's pid. */
  private int hold(String application) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", TestDatabase.USER);
    properties.setProperty("ApplicationName", application);
    properties.setProperty("connectTimeout", "5");
    Connection connection = DriverManager.getConnection(APP_DB.jdbcUrl(), properties);
    int pid = connection.unwrap(PGConnection.class).getBackendPID();
    held.put(pid, connection);
    return pid;
  }

  /** Runs a statement on the held connection of backend {@code pid}. */
  private void query(int pid) throws SQLException {
    try (Statement statement = held.get(pid).createStatement()) {
      statement.execute("SELECT 1");
    }
  }

  /** Runs a statement on the connection, so that it has been idle for no time at all. */
  private void touch(int pid) {
    try {
      query(pid);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot use the young connection (backend " + pid + ")", e);
    }
  }

  private static List<Integer> backends(List<Integer> pids, int more) {
    List<Integer> all = new ArrayList<>(pids);
    all.add(more);
    return all;
  }

  /** The pids of client backends that the server says have been idle for longer than {@code age}. */
  private static List<Integer> idleLongerThan(Duration age) throws SQLException {
    try (Connection admin = TestDatabase.admin()) {
      return Rows.of(admin, "select pid from pg_stat_activity where state = 'idle'"
          + " and state_change <= now() - make_interval(secs => ?)", (double) age.toSeconds())
          .stream().map(Integer::valueOf).toList();
    }
  }

  /** The pids of every backend whose application name is one of this run's. */
  private static List<Integer> backendsOf(String tag) throws SQLException {
    try (Connection admin = TestDatabase.admin()) {
      return Rows.of(admin, "select pid from pg_stat_activity where application_name like ?", tag + "-%")
          .stream().map(Integer::valueOf).toList();
    }
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asInt()));
    return values;
  }

  private static Jedis redis() {
    Jedis jedis = new Jedis("127.0.0.1", 6379, 5_000);
    jedis.select(REDIS_DB);
    return jedis;
  }

  private static Set<String> keys(Jedis redis, String pattern) {
    Set<String> found = new TreeSet<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = redis.scan(cursor, new ScanParams().match(pattern).count(100));
      found.addAll(page.getResult());
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return found;
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }

  /** The API server's answers for Deployment prod/api: generation 4 when read, 5 once patched. */
  private static final class ApiServer extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (!DEPLOYMENT_PATH.equals(request.getPath())) {
        return json(404, "{\"kind\": \"Status\", \"apiVersion\": \"v1\", \"status\": \"Failure\","
            + " \"reason\": \"NotFound\", \"code\": 404, \"message\": \"not found\"}");
      }
      long generation = "PATCH".equals(request.getMethod()) ? 5 : 4;
      return json(200, """
          {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "api", "namespace": "prod", "generation": %1$d, "resourceVersion": "100%1$d"},
           "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "api"}},
                    "template": {"metadata": {"labels": {"app": "api"}},
                                 "spec": {"containers": [{"name": "api", "image": "registry/api:1.4.2"}]}}},
           "status": {"observedGeneration": 4, "replicas": 3, "updatedReplicas": 3, "availableReplicas": 3}}
          """.formatted(generation));
    }
  }

  /** Railway's GraphQL answers: one deployment, d-3, for the query; true for its restart. */
  private static final class RailwayGraphQl extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String operation;
      try {
        operation = JSON.readTree(request.getBody().clone().readUtf8()).path("operationName").asText();
      } catch (IOException e) {
        return json(400, "{\"errors\": [{\"message\": \"body is not JSON\"}]}");
      }
      return switch (operation) {
        case "Deployments" -> json(200, "{\"data\": {\"deployments\": {\"edges\": [{\"node\": {\"id\": \"d-3\","
            + " \"status\": \"SUCCESS\", \"createdAt\": \"2026-11-22T09:00:00.000Z\", \"canRollback\": false}}]}}}");
        case "DeploymentRestart" -> json(200, "{\"data\": {\"deploymentRestart\": true}}");
        default -> json(200, "{\"errors\": [{\"message\": \"unknown operation " + operation + "\"}], \"data\": null}");
      };
    }
  }
}
