package dev.remediator.testing;

import static dev.remediator.testing.ChildProcesses.freePort;
import static dev.remediator.testing.ChildProcesses.read;
import static dev.remediator.testing.ChildProcesses.tail;

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
import java.util.Map;

/**
 * A real Prometheus server (the Debian {@code prometheus} binary) on a free loopback port, with
 * storage, rule files and log in a temporary directory that {@link #close()} removes. The caller
 * gives the {@code prometheus.yml} text; {@code {{rules}}} in it stands for the directory that
 * holds the rule files given to {@link #start}.
 */
public final class PrometheusProcess implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/bin/prometheus");

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Process process;
  private final Path dir;
  private final URI url;

  private PrometheusProcess(Process process, Path dir, URI url) {
    this.process = process;
    this.dir = dir;
    this.url = url;
  }

  /**
   * Writes {@code rules} (file name to text) and the configuration, starts Prometheus and waits
   * until {@code GET /-/ready} answers 200.
   *
   * @throws IllegalStateException if the binary is missing, or Prometheus exits or does not get
   *     ready in time; the message carries the tail of its log
   */
  public static PrometheusProcess start(String configYaml, Map<String, String> rules) {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException("prometheus not found at " + BINARY
          + ": install the Debian package prometheus");
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("prometheus-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for Prometheus", e);
    }
    Process process = null;
    try {
      Path ruleDir = Files.createDirectories(dir.resolve("rules"));
      for (Map.Entry<String, String> file : rules.entrySet()) {
        Files.writeString(ruleDir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
      }
      Path config = Files.writeString(dir.resolve("prometheus.yml"),
          configYaml.replace("{{rules}}", ruleDir.toString()), StandardCharsets.UTF_8);
      int port = freePort();
      process = new ProcessBuilder(
          BINARY.toString(),
          "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port,
          "--rules.alert.resend-delay=1s",
          "--log.level=debug")
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("prometheus.log").toFile())
          .start();
      PrometheusProcess prometheus = new PrometheusProcess(process, dir, URI.create("http://127.0.0.1:" + port));
      prometheus.awaitReady();
      return prometheus;
    } catch (IOException | RuntimeException e) {
      if (process != null) {
        ChildProcesses.stop(process, STOP_TIMEOUT);
      }
      String log = read(dir.resolve("prometheus.log"));
      ChildProcesses.deleteRecursively(dir);
      throw new IllegalStateException("Prometheus did not start: " + e.getMessage() + "; log tail:\n"
          + tail(log, 40), e);
    }
  }

  /** Prometheus's base URL, e.g. {@code http://127.0.0.1:40123}. */
  public URI url() {
    return url;
  }

  /** Everything Prometheus has logged so far. */
  public String log() {
    return read(dir.resolve("prometheus.log"));
  }

  /** {@code GET path} on Prometheus's HTTP API; answers the body, whatever the status. */
  public String get(String pathAndQuery) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(url.resolve(pathAndQuery)).timeout(Duration.ofSeconds(5)).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during GET " + request.uri(), e);
    }
  }

  /** Stops Prometheus (SIGTERM, then SIGKILL) and deletes its temporary directory. */
  @Override
  public void close() {
    ChildProcesses.stop(process, STOP_TIMEOUT);
    ChildProcesses.deleteRecursively(dir);
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready = HttpRequest.newBuilder(url.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    String lastAnswer = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Prometheus exited with code " + process.exitValue() + " before it got ready");
      }
      try {
        HttpResponse<String> response = http.send(ready, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        lastAnswer = "HTTP " + response.statusCode();
      } catch (IOException e) {
        lastAnswer = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Prometheus", e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Prometheus", e);
      }
    }
    throw new IllegalStateException("Prometheus did not get ready at " + ready.uri() + " within "
        + READY_TIMEOUT.toSeconds() + "s (last answer: " + lastAnswer + ")");
  }
}
