package dev.remediator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Several {@code serve} processes on one PostgreSQL database, as a scaled-out deployment runs
 * them, with what the scale-out and crash tests need: post one notification to every replica at
 * once (as HA Alertmanager peers do), read the store, and wait for a condition with a deadline.
 */
public final class Replicas implements AutoCloseable {
  private static final Duration POST_DEADLINE = Duration.ofSeconds(30);

  private final List<ServerProcess> servers = new ArrayList<>();
  private final TestDatabase database;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ExecutorService posters = Executors.newCachedThreadPool();

  private Replicas(TestDatabase database) {
    this.database = database;
  }

  /** Starts {@code count} replicas on {@code database}, each in its own directory under {@code dir}. */
  public static Replicas start(int count, TestDatabase database, Path dir, String rulesYaml) {
    Replicas replicas = new Replicas(database);
    try {
      Path rules = dir.resolve("remediation.yml");
      Files.writeString(rules, rulesYaml);
      List<Future<ServerProcess>> starting = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Path workDir = Files.createDirectories(dir.resolve("replica-" + i));
        starting.add(replicas.posters.submit(() -> ServerProcess.builder(workDir)
            .env("REMEDIATOR_DATABASE_URL", database.storeUrl())
            .env("REMEDIATOR_RULES", rules.toString())
            .env("REMEDIATOR_WORKERS", "4")
            .readyTimeout(Duration.ofSeconds(60))
            .start()));
      }
      for (Future<ServerProcess> server : starting) {
        replicas.servers.add(server.get());
      }
      return replicas;
    } catch (IOException e) {
      replicas.close();
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      replicas.close();
      throw new IllegalStateException("replicas did not start: " + e.getMessage(), e);
    }
  }

  public ServerProcess get(int index) {
    return servers.get(index);
  }

  public List<ServerProcess> all() {
    return List.copyOf(servers);
  }

  /** The replica whose worker id ({@code host/pid}) is {@code workerId}. */
  public ServerProcess byWorkerId(String workerId) {
    return servers.stream().filter(s -> workerId.endsWith("/" + s.pid())).findFirst()
        .orElseThrow(() -> new AssertionError("no replica has worker id " + workerId));
  }

  /**
   * Posts {@code body} to every live replica at once and returns each replica's final status. A
   * 503 is retried, as Alertmanager retries it, until {@link #POST_DEADLINE}; any other status
   * is final and returned as it is.
   */
  public List<Integer> postToAll(String body) {
    List<Future<Integer>> answers = new ArrayList<>();
    for (ServerProcess server : servers) {
      if (server.isAlive()) {
        answers.add(posters.submit(() -> post(server, body)));
      }
    }
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> answer : answers) {
      try {
        statuses.add(answer.get());
      } catch (Exception e) {
        throw new IllegalStateException("posting failed: " + e, e);
      }
    }
    return statuses;
  }

  /** Posts to one replica, retrying 503 until the deadline; returns the final status. */
  public int post(ServerProcess server, String body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(server.url("/webhook"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    long deadline = System.nanoTime() + POST_DEADLINE.toNanos();
    while (true) {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != 503 || System.nanoTime() > deadline) {
        return status;
      }
      Thread.sleep(100);
    }
  }

  /** Every row of {@code sql}, columns joined with {@code " | "}. */
  public List<String> rows(String sql) {
    try (Connection connection = database.connect()) {
      return Rows.of(connection, sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  public long count(String sql) {
    return Long.parseLong(rows(sql).get(0));
  }

  /** Polls {@code condition} until it holds or {@code timeout} passes; false on timeout. */
  public static boolean await(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  /** One firing notification with one alert {@code alertname} whose label {@code id} is {@code id}. */
  public static String notification(String alertname, String id, String fingerprint) {
    return """
        {"version":"4","groupKey":"{}:{alertname=\\"%1$s\\"}","truncatedAlerts":0,"status":"firing",
         "receiver":"remediator","groupLabels":{"alertname":"%1$s"},"commonLabels":{"alertname":"%1$s"},
         "commonAnnotations":{},"externalURL":"http://alertmanager:9093",
         "alerts":[{"status":"firing","labels":{"alertname":"%1$s","id":"%2$s"},"annotations":{},
           "startsAt":"2026-11-22T10:00:00.000Z","endsAt":"0001-01-01T00:00:00Z",
           "generatorURL":"http://prometheus:9090/graph","fingerprint":"%3$s"}]}
        """.formatted(alertname, id, fingerprint);
  }

  /** Kills every replica still running and stops posting. */
  @Override
  public void close() {
    posters.shutdownNow();
    for (ServerProcess server : servers) {
      server.close();
    }
  }
}
