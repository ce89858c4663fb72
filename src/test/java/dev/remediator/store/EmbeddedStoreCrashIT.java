package dev.remediator.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.testing.Rows;
import dev.remediator.testing.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default store survives {@code kill -9} at any moment. The packaged server runs as
 * a real process on the default store ({@code ./data} in a fresh directory) with a live command
 * rule; client threads post one-alert notifications while the server is killed with SIGKILL at a
 * random moment and restarted on the same data, again and again; about one restart in four is
 * itself killed while it opens the store and recovers. Then, with the server stopped:
 *
 * <ul>
 *   <li>every restart got ready (a store that no longer opens fails the test at once);</li>
 *   <li>every alert that was answered 200 is in the store;</li>
 *   <li>no remediation ran twice: the rule's command, {@code mktemp -d markers/<id>.XXXXXXXX},
 *       leaves one directory per run outside the store, so a decision or claim that was
 *       acknowledged by the store and then lost shows up as a second directory.</li>
 * </ul>
 *
 * CI runs {@value #DEFAULT_ITERATIONS} kill/restart cycles; a longer run is
 * {@code mvn -B verify -Dit.test=EmbeddedStoreCrashIT -Dcrash.iterations=200} (add
 * {@code -Dcrash.seed=N} to repeat the kill moments of a run, whose seed is printed first).
 */
class EmbeddedStoreCrashIT {
  static final int DEFAULT_ITERATIONS = 10;
  private static final int ITERATIONS = Integer.getInteger("crash.iterations", DEFAULT_ITERATIONS);
  private static final long SEED = Long.getLong("crash.seed", System.nanoTime());
  private static final int CLIENTS = 4;
  private static final Duration READY_WITHIN = Duration.ofSeconds(30);
  private static final Duration FIRST_ACK_WITHIN = Duration.ofSeconds(10);
  private static final int MAX_KILL_DELAY_MILLIS = 1_000;
  private static final int STARTUP_KILL_ONE_IN = 4;
  private static final Duration DRAIN_WITHIN = Duration.ofSeconds(60);
  private static final Pattern QUEUE_DEPTH =
      Pattern.compile("^remediator_queue_depth\\{queue=\"([a-z_]+)\"} ([0-9.eE+-]+)$", Pattern.MULTILINE);

  @TempDir
  Path dir;

  @Test
  void acknowledgedAlertsAndDecisionsSurviveKillDashNine() throws Exception {
    System.out.printf("EmbeddedStoreCrashIT: %d iterations, seed %d (repeat with -Dcrash.seed=%d)%n",
        ITERATIONS, SEED, SEED);
    Random random = new Random(SEED);
    Path markers = Files.createDirectories(dir.resolve("markers"));
    Path rules = dir.resolve("remediation.yml");
    Files.writeString(rules, rules(markers));
    ServerProcess.Builder server = ServerProcess.builder(dir)
        .env("REMEDIATOR_RULES", rules.toString())
        .env("REMEDIATOR_WORKERS", "4")
        .readyTimeout(READY_WITHIN);

    long started = System.nanoTime();
    List<Duration> restarts = new ArrayList<>();
    int killedWhileStarting = 0;
    try (Load load = new Load(CLIENTS)) {
      for (int i = 1; i <= ITERATIONS; i++) {
        if (i > 1 && random.nextInt(STARTUP_KILL_ONE_IN) == 0) {
          // Kill it while it starts: opening the store, migrating, recovering what the last kill left.
          try (ServerProcess starting = server.launch()) {
            Thread.sleep(random.nextLong(restarts.get(restarts.size() - 1).toMillis() + 1));
            starting.kill();
          }
          killedWhileStarting++;
        }
        try (ServerProcess running = start(server, "kill/restart iteration " + i + " of " + ITERATIONS)) {
          restarts.add(running.startedIn());
          long acksBefore = load.acknowledged();
          load.target(running.port());
          awaitFirstAck(load, acksBefore, running, i);
          Thread.sleep(random.nextInt(MAX_KILL_DELAY_MILLIS + 1));
          running.kill();
        }
      }
      load.stop();
      System.out.printf("EmbeddedStoreCrashIT: %d acknowledged, %d not (errors while killed), in %d kills under load "
              + "and %d while starting; slowest restart %d ms%n", load.acknowledged(), load.failed(), ITERATIONS,
          killedWhileStarting, restarts.stream().mapToLong(Duration::toMillis).max().orElse(0));

      // One more start without load: let the server decide and run everything it holds, so a
      // lost decision in the last iteration shows up as a second run too.
      try (ServerProcess last = start(server, "the final start after " + ITERATIONS + " kills")) {
        awaitDrained(last);
        // The JVM exits with 128 + SIGTERM once its shutdown hook (the graceful stop) is done.
        assertThat(last.stop()).as("exit code of a graceful stop; log tail:\n%s", last.logTail()).isIn(0, 143);
      }

      Set<String> acknowledged = load.acknowledgedFingerprints();
      Map<String, Integer> runsById = runsById(markers);
      try (Database store = Database.open(storeUrl(dir), 1)) {
        Set<String> stored = Set.copyOf(Rows.of(store, "select distinct fingerprint from alert"));
        List<String> lost = acknowledged.stream().filter(f -> !stored.contains(f)).sorted().toList();
        List<String> twice = runsById.entrySet().stream().filter(e -> e.getValue() > 1)
            .map(e -> e.getKey() + " ran " + e.getValue() + " times").toList();
        List<String> states = Rows.of(store, "select state, count(*) from remediation group by state order by state");
        System.out.printf("EmbeddedStoreCrashIT: %d acknowledged alerts, %d lost; %d alerts acted on (remediations: %s), "
                + "%d actions ran twice; %.1f s in all%n", acknowledged.size(), lost.size(),
            runsById.size(), String.join(", ", states), twice.size(), (System.nanoTime() - started) / 1e9);

        List<String> unfinished = Rows.of(store, "select a.fingerprint from alert a left join remediation r "
            + "on r.alert_id = a.id where r.id is null or r.state not in ('succeeded', 'interrupted')");
        List<String> succeededWithoutRun = Rows.of(store, "select r.fingerprint, a.labels from remediation r "
                + "join alert a on a.id = r.alert_id where r.state = 'succeeded'").stream()
            .filter(row -> !runsById.containsKey(idOf(row))).toList();
        List<String> problems = new ArrayList<>();
        problem(problems, lost, "of " + acknowledged.size() + " acknowledged alerts are missing from the store");
        problem(problems, twice, "actions ran more than once (their decision or claim was lost)");
        problem(problems, unfinished, "stored alerts have no finished remediation after the final start");
        problem(problems, succeededWithoutRun, "remediations are recorded as succeeded but their command never ran");
        if (!problems.isEmpty()) {
          throw new AssertionError("the embedded store did not survive kill -9 (seed " + SEED + "):\n  "
              + String.join("\n  ", problems));
        }
      }
    }
  }

  private static void problem(List<String> problems, List<String> found, String what) {
    if (!found.isEmpty()) {
      problems.add(found.size() + " " + what + ", e.g. " + found.subList(0, Math.min(5, found.size())));
    }
  }

  private static String rules(Path markers) {
    return """
        settings:
          dry_run: false
        targets:
          marker: {kind: command, concurrency: 4}
        rules:
          - name: mark-each-run
            match: ['alertname="CrashTest"']
            action: command
            target: marker
            with:
              argv: ["/usr/bin/mktemp", "-d", "%s/{{ labels.id }}.XXXXXXXX"]
              timeout: 10s
            allow: {id: "[a-z0-9-]{1,40}"}
        """.formatted(markers);
  }

  /** The store the server used: the default embedded store, resolved against its working directory. */
  static String storeUrl(Path workDir) {
    return Database.sqliteUrl(workDir.resolve(Database.DEFAULT_FILE).toAbsolutePath());
  }

  private static ServerProcess start(ServerProcess.Builder server, String what) {
    try {
      return server.start();
    } catch (IllegalStateException e) {
      throw new AssertionError("the server did not start again at " + what + " (seed " + SEED
          + "): every restart after kill -9 must succeed\n" + e.getMessage(), e);
    }
  }

  private static void awaitFirstAck(Load load, long before, ServerProcess running, int iteration)
      throws InterruptedException {
    long deadline = System.nanoTime() + FIRST_ACK_WITHIN.toNanos();
    while (load.acknowledged() == before) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no notification was acknowledged within " + FIRST_ACK_WITHIN.toSeconds()
            + " s of restart " + iteration + " (last client error: " + load.lastError() + "); log tail:\n"
            + running.logTail());
      }
      Thread.sleep(5);
    }
  }

  /** Waits until the server has decided every alert and finished every remediation it holds. */
  private static void awaitDrained(ServerProcess server) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest metrics = HttpRequest.newBuilder(server.url("/metrics")).timeout(Duration.ofSeconds(5)).GET().build();
    long deadline = System.nanoTime() + DRAIN_WITHIN.toNanos();
    Map<String, Double> depths = Map.of();
    while (System.nanoTime() < deadline) {
      try {
        depths = queueDepths(http.send(metrics, HttpResponse.BodyHandlers.ofString()).body());
      } catch (IOException e) {
        throw new UncheckedIOException("GET " + metrics.uri() + " failed; log tail:\n" + server.logTail(), e);
      }
      if (depths.keySet().containsAll(List.of("undecided_alerts", "pending", "running"))
          && depths.get("undecided_alerts") == 0 && depths.get("pending") == 0 && depths.get("running") == 0) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the server did not decide and run everything within " + DRAIN_WITHIN.toSeconds()
        + " s; queue depths " + depths + "; log tail:\n" + server.logTail());
  }

  private static Map<String, Double> queueDepths(String exposition) {
    Map<String, Double> depths = new TreeMap<>();
    Matcher m = QUEUE_DEPTH.matcher(exposition);
    while (m.find()) {
      depths.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return depths;
  }

  /** How many marker directories each alert id has: one per run of its command. */
  private static Map<String, Integer> runsById(Path markers) throws IOException {
    try (Stream<Path> dirs = Files.list(markers)) {
      return dirs.map(p -> p.getFileName().toString())
          .collect(Collectors.toMap(name -> name.substring(0, name.lastIndexOf('.')), name -> 1, Integer::sum));
    }
  }

  private static String idOf(String fingerprintAndLabels) {
    Matcher m = Pattern.compile("\"id\":\"([a-z0-9-]+)\"").matcher(fingerprintAndLabels);
    if (!m.find()) {
      throw new AssertionError("no id label in " + fingerprintAndLabels);
    }
    return m.group(1);
  }

  /**
   * Client threads that post one-alert notifications, each with a new fingerprint and id, to
   * whichever server is current, and remember every fingerprint answered 200.
   */
  private static final class Load implements AutoCloseable {
    private static final String TEMPLATE = """
        {"version": "4", "groupKey": "{}:{alertname=\\"CrashTest\\"}", "truncatedAlerts": 0, "status": "firing",
         "receiver": "remediator", "groupLabels": {"alertname": "CrashTest"},
         "commonLabels": {"alertname": "CrashTest"}, "commonAnnotations": {}, "externalURL": "http://alertmanager:9093",
         "alerts": [{"status": "firing", "labels": {"alertname": "CrashTest", "id": "%s"}, "annotations": {},
                     "startsAt": "2026-11-22T10:00:00.000Z", "endsAt": "0001-01-01T00:00:00Z",
                     "generatorURL": "http://prometheus:9090/graph", "fingerprint": "%s"}]}
        """;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final AtomicReference<URI> target = new AtomicReference<>();
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>("none");
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    Load(int clients) {
      for (int i = 1; i <= clients; i++) {
        Thread thread = new Thread(this::run, "crash-test-client-" + i);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
    }

    void target(int port) {
      target.set(URI.create("http://127.0.0.1:" + port + "/webhook"));
    }

    long acknowledged() {
      return acknowledged.size();
    }

    Set<String> acknowledgedFingerprints() {
      return Set.copyOf(acknowledged);
    }

    long failed() {
      return failed.get();
    }

    String lastError() {
      return lastError.get();
    }

    private void run() {
      while (running) {
        URI uri = target.get();
        if (uri == null) {
          pause();
          continue;
        }
        long n = next.incrementAndGet();
        String fingerprint = String.format("%016x", n);
        String body = TEMPLATE.formatted("a" + n, fingerprint);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
          HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            acknowledged.add(fingerprint);
          } else {
            failed.incrementAndGet();
            lastError.set("HTTP " + response.statusCode() + ": " + response.body());
            pause();
          }
        } catch (IOException e) {
          // The server is being killed or restarted: this alert is not acknowledged.
          failed.incrementAndGet();
          lastError.set(e.toString());
          pause();
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    /** Backs off after a failed request: a server being restarted needs the CPU more than the clients. */
    private static void pause() {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Stops posting and waits for requests in flight, so nothing is acknowledged afterwards. */
    void stop() throws InterruptedException {
      running = false;
      for (Thread thread : threads) {
        thread.join(10_000);
      }
    }

    @Override
    public void close() {
      running = false;
    }
  }
}
