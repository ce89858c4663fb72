package dev.remediator.testing;

import static dev.remediator.testing.ChildProcesses.freePort;
import static dev.remediator.testing.ChildProcesses.read;
import static dev.remediator.testing.ChildProcesses.tail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
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
import java.util.Objects;

/**
 * A real Alertmanager (the Debian {@code prometheus-alertmanager} binary) on a free loopback
 * port, configured by default with a single route to one webhook receiver (or with a whole
 * configuration text, see {@link Builder#configText}). Gossip is off unless {@link Builder#args}
 * turns it on; storage and log
 * live in a temporary directory that {@link #close()} removes.
 *
 * <pre>{@code
 * try (AlertmanagerProcess am = AlertmanagerProcess.builder(webhookUrl).bearerToken("s3cret").start()) {
 *   am.postAlerts("[{\"labels\": {\"alertname\": \"HighErrorRate\"}}]");
 * }
 * }</pre>
 */
public final class AlertmanagerProcess implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
  public static final String RECEIVER = "remediator";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final int START_ATTEMPTS = 3;
  private static final int LOG_TAIL_LINES = 40;

  private final Process process;
  private final Path dir;
  private final Path logFile;
  private final URI url;
  private final HttpClient http;

  private AlertmanagerProcess(Process process, Path dir, Path logFile, URI url, HttpClient http) {
    this.process = process;
    this.dir = dir;
    this.logFile = logFile;
    this.url = url;
    this.http = http;
  }

  /** Starts configuring an Alertmanager whose only receiver posts to {@code webhookUrl}. */
  public static Builder builder(URI webhookUrl) {
    return new Builder(webhookUrl);
  }

  /** Alertmanager's base URL, e.g. {@code http://127.0.0.1:40123}. */
  public URI url() {
    return url;
  }

  /** The configuration file Alertmanager was started with. */
  public Path configFile() {
    return dir.resolve("alertmanager.yml");
  }

  /**
   * Posts a JSON array of alerts to {@code POST /api/v2/alerts}, as Prometheus does.
   *
   * @throws IllegalStateException if Alertmanager does not answer 200, with its answer
   */
  public void postAlerts(String jsonArray) {
    Objects.requireNonNull(jsonArray, "jsonArray");
    HttpRequest request = HttpRequest.newBuilder(url.resolve("/api/v2/alerts"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(jsonArray, StandardCharsets.UTF_8))
        .build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() != 200) {
      throw new IllegalStateException("POST " + request.uri() + " answered HTTP " + response.statusCode()
          + ": " + response.body() + "\nAlertmanager log:\n" + logTail());
    }
  }

  /** Everything Alertmanager has logged so far (stdout and stderr). */
  public String log() {
    return read(logFile);
  }

  /** Stops Alertmanager (SIGTERM, then SIGKILL) and deletes its temporary directory. */
  @Override
  public void close() {
    ChildProcesses.stop(process, STOP_TIMEOUT);
    ChildProcesses.deleteRecursively(dir);
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e
          + "\nAlertmanager log:\n" + logTail(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + request.method() + " " + request.uri(), e);
    }
  }

  private String logTail() {
    return tail(log(), LOG_TAIL_LINES);
  }

  /** Configures and starts an {@link AlertmanagerProcess}; every duration must be positive. */
  public static final class Builder {
    private final URI webhookUrl;
    private String bearerToken;
    private boolean sendResolved = true;
    private int maxAlerts;
    private Duration groupWait = Duration.ofMillis(100);
    private Duration groupInterval = Duration.ofSeconds(1);
    private Duration repeatInterval = Duration.ofHours(1);
    private Duration resolveTimeout = Duration.ofMinutes(5);
    private String configText;
    private final List<String> extraArgs = new ArrayList<>();

    private Builder(URI webhookUrl) {
      this.webhookUrl = Objects.requireNonNull(webhookUrl, "webhookUrl");
      if (webhookUrl.getScheme() == null || !webhookUrl.getScheme().startsWith("http")) {
        throw new IllegalArgumentException("webhookUrl must be an http(s) URL, but was " + webhookUrl);
      }
    }

    /** Alertmanager sends {@code Authorization: Bearer <token>}; without a token, no header. */
    public Builder bearerToken(String token) {
      if (token != null && token.isBlank()) {
        throw new IllegalArgumentException("bearer token must not be blank");
      }
      this.bearerToken = token;
      return this;
    }

    /** Whether resolved alerts are notified too (Alertmanager's default for webhooks: true). */
    public Builder sendResolved(boolean sendResolved) {
      this.sendResolved = sendResolved;
      return this;
    }

    /** At most this many alerts per notification; 0 (the default) means no limit. */
    public Builder maxAlerts(int maxAlerts) {
      if (maxAlerts < 0) {
        throw new IllegalArgumentException("maxAlerts must not be negative, but was " + maxAlerts);
      }
      this.maxAlerts = maxAlerts;
      return this;
    }

    /** How long a new group waits before its first notification (default 100ms). */
    public Builder groupWait(Duration groupWait) {
      this.groupWait = positive("groupWait", groupWait);
      return this;
    }

    /** How long before a group that changed is notified again (default 1s). */
    public Builder groupInterval(Duration groupInterval) {
      this.groupInterval = positive("groupInterval", groupInterval);
      return this;
    }

    /** How long before an unchanged group is notified again (default 1h). */
    public Builder repeatInterval(Duration repeatInterval) {
      this.repeatInterval = positive("repeatInterval", repeatInterval);
      return this;
    }

    /** When an alert posted without {@code endsAt} is considered resolved (default 5m). */
    public Builder resolveTimeout(Duration resolveTimeout) {
      this.resolveTimeout = positive("resolveTimeout", resolveTimeout);
      return this;
    }

    /**
     * Uses {@code yaml} as the whole configuration file instead of the one built from the
     * settings above (e.g. a rewritten copy of a shipped configuration).
     */
    public Builder configText(String yaml) {
      this.configText = Objects.requireNonNull(yaml, "yaml");
      return this;
    }

    /**
     * Adds command-line flags, e.g. {@code --cluster.listen-address=127.0.0.1:9094} and
     * {@code --cluster.peer=...}; a {@code --cluster.listen-address} given here replaces the
     * default that turns gossip off.
     */
    public Builder args(String... args) {
      extraArgs.addAll(List.of(args));
      return this;
    }

    /** The configuration file's text, as {@link #start()} writes it. */
    public String config() {
      if (configText != null) {
        return configText;
      }
      StringBuilder yaml = new StringBuilder();
      yaml.append("global:\n")
          .append("  resolve_timeout: ").append(duration(resolveTimeout)).append('\n')
          .append("route:\n")
          .append("  receiver: ").append(RECEIVER).append('\n')
          .append("  group_by: ['...']\n")
          .append("  group_wait: ").append(duration(groupWait)).append('\n')
          .append("  group_interval: ").append(duration(groupInterval)).append('\n')
          .append("  repeat_interval: ").append(duration(repeatInterval)).append('\n')
          .append("receivers:\n")
          .append("  - name: ").append(RECEIVER).append('\n')
          .append("    webhook_configs:\n")
          .append("      - url: ").append(quote(webhookUrl.toString())).append('\n')
          .append("        send_resolved: ").append(sendResolved).append('\n')
          .append("        max_alerts: ").append(maxAlerts).append('\n');
      if (bearerToken != null) {
        yaml.append("        http_config:\n")
            .append("          authorization:\n")
            .append("            type: Bearer\n")
            .append("            credentials: ").append(quote(bearerToken)).append('\n');
      }
      return yaml.toString();
    }

    /**
     * Writes the configuration, starts Alertmanager and waits until {@code GET /-/ready} answers
     * 200.
     *
     * @throws IllegalStateException if the binary is missing, or Alertmanager exits or does not
     *     get ready in time; the message carries the tail of its log
     */
    public AlertmanagerProcess start() {
      if (!Files.isExecutable(BINARY)) {
        throw new IllegalStateException("prometheus-alertmanager not found at " + BINARY
            + ": install the Debian package prometheus-alertmanager (.ci/run does)");
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      List<String> failures = new ArrayList<>();
      for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
        Path dir = createTempDir();
        try {
          return startIn(dir, http);
        } catch (PortTakenException e) {
          // Another process took the free port between probing and binding: try a new one.
          failures.add(e.getMessage());
          ChildProcesses.deleteRecursively(dir);
        } catch (RuntimeException e) {
          ChildProcesses.deleteRecursively(dir);
          throw e;
        }
      }
      throw new IllegalStateException("Alertmanager could not bind a loopback port in " + START_ATTEMPTS
          + " attempts:\n" + String.join("\n", failures));
    }

    private AlertmanagerProcess startIn(Path dir, HttpClient http) {
      Path config = dir.resolve("alertmanager.yml");
      Path data = dir.resolve("data");
      Path log = dir.resolve("alertmanager.log");
      int port = freePort();
      URI url = URI.create("http://127.0.0.1:" + port);
      Process process;
      try {
        Files.writeString(config, config(), StandardCharsets.UTF_8);
        Files.createDirectories(data);
        List<String> command = new ArrayList<>(List.of(
            BINARY.toString(),
            "--config.file=" + config,
            "--storage.path=" + data,
            "--web.listen-address=127.0.0.1:" + port,
            "--log.level=debug"));
        if (extraArgs.stream().noneMatch(arg -> arg.startsWith("--cluster.listen-address"))) {
          command.add("--cluster.listen-address=");
        }
        command.addAll(extraArgs);
        process = new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + BINARY + " in " + dir, e);
      }
      AlertmanagerProcess alertmanager = new AlertmanagerProcess(process, dir, log, url, http);
      try {
        awaitReady(alertmanager, port);
        return alertmanager;
      } catch (RuntimeException e) {
        ChildProcesses.stop(process, STOP_TIMEOUT);
        throw e;
      }
    }

    private void awaitReady(AlertmanagerProcess alertmanager, int port) {
      HttpRequest ready = HttpRequest.newBuilder(alertmanager.url.resolve("/-/ready"))
          .timeout(Duration.ofSeconds(2))
          .GET()
          .build();
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      String lastAnswer = "no answer yet";
      while (System.nanoTime() < deadline) {
        if (!alertmanager.process.isAlive()) {
          String log = alertmanager.log();
          if (log.contains("address already in use")) {
            throw new PortTakenException("port " + port + " already in use");
          }
          throw new IllegalStateException("Alertmanager exited with code " + alertmanager.process.exitValue()
              + " before it got ready at " + ready.uri() + "; log tail:\n" + tail(log, LOG_TAIL_LINES));
        }
        try {
          HttpResponse<String> response = alertmanager.http.send(ready, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            return;
          }
          lastAnswer = "HTTP " + response.statusCode() + ": " + response.body().strip();
        } catch (ConnectException e) {
          lastAnswer = "connection refused";
        } catch (IOException e) {
          lastAnswer = e.toString();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for Alertmanager at " + ready.uri(), e);
        }
        sleep(Duration.ofMillis(50));
      }
      throw new IllegalStateException("Alertmanager did not get ready at " + ready.uri() + " within "
          + READY_TIMEOUT.toSeconds() + "s (last answer: " + lastAnswer + "); log tail:\n" + alertmanager.logTail());
    }

    private static Path createTempDir() {
      try {
        return Files.createTempDirectory("alertmanager-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temporary directory for Alertmanager", e);
      }
    }

    private static void sleep(Duration duration) {
      try {
        Thread.sleep(duration.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Alertmanager", e);
      }
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, but was " + value);
      }
      if (value.toNanos() % 1_000_000 != 0) {
        throw new IllegalArgumentException(name + " must be whole milliseconds, but was " + value);
      }
      return value;
    }

    /** A Prometheus duration: milliseconds are the finest unit Alertmanager accepts. */
    private static String duration(Duration value) {
      return value.toMillis() + "ms";
    }

    /** A YAML single-quoted scalar: no escapes apart from a doubled quote. */
    private static String quote(String value) {
      if (value.contains("\n") || value.contains("\r")) {
        throw new IllegalArgumentException("value must be one line, but was " + value);
      }
      return "'" + value.replace("'", "''") + "'";
    }
  }

  private static final class PortTakenException extends RuntimeException {
    PortTakenException(String message) {
      super(message);
    }
  }
}
