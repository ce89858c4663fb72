package dev.remediator.testing;

import static dev.remediator.testing.ChildProcesses.freePort;
import static dev.remediator.testing.ChildProcesses.read;
import static dev.remediator.testing.ChildProcesses.tail;

import java.io.File;
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
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server ({@code target/remediator.jar serve}) as a real child process: its own JVM,
 * working directory, environment and log file, on a free loopback port. Integration tests use it
 * to do to the server what an operating system does: start it, wait for {@code GET /-/ready},
 * stop it with SIGTERM or kill it with SIGKILL, and read what it logged.
 *
 * <pre>{@code
 * try (ServerProcess server = ServerProcess.builder(dir).env("REMEDIATOR_RULES", rules.toString()).start()) {
 *   ... server.url("/webhook") ...
 *   server.kill();
 * }
 * }</pre>
 *
 * Each start appends to the same log file, {@code server.log} in the working directory, with a
 * header line per start, so one file tells the whole story of a kill-and-restart test.
 */
public final class ServerProcess implements AutoCloseable {
  /** The jar {@code mvn package} builds; Failsafe runs integration tests after it. */
  public static final Path JAR = Path.of("target", "remediator.jar").toAbsolutePath();

  private static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
  private static final int START_ATTEMPTS = 3;
  private static final int LOG_TAIL_LINES = 40;

  private final Process process;
  private final Path logFile;
  private final int port;
  private final Duration startedIn;

  private ServerProcess(Process process, Path logFile, int port, Duration startedIn) {
    this.process = process;
    this.logFile = logFile;
    this.port = port;
    this.startedIn = startedIn;
  }

  /** Starts configuring a server whose working directory (and so its default {@code ./data}) is {@code workDir}. */
  public static Builder builder(Path workDir) {
    return new Builder(workDir);
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** How long the process took from exec to its first 200 on {@code /-/ready}. */
  public Duration startedIn() {
    if (startedIn == null) {
      throw new IllegalStateException("server pid " + process.pid() + " was launched without waiting for /-/ready");
    }
    return startedIn;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Kills the process with SIGKILL, as {@code kill -9} does, and waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    awaitExit(KILL_TIMEOUT, "after SIGKILL");
  }

  /**
   * Stops the process with SIGTERM (a graceful stop) and waits for it; returns its exit code.
   *
   * @throws IllegalStateException if it does not exit within 30 s (it is then killed)
   */
  public int stop() {
    process.destroy();
    return awaitExit(STOP_TIMEOUT, "after SIGTERM");
  }

  /** Everything the server has logged so far, across all starts in this working directory. */
  public String log() {
    return read(logFile);
  }

  /** The last lines of {@link #log()}, for failure messages. */
  public String logTail() {
    return tail(log(), LOG_TAIL_LINES);
  }

  /** Kills the process if it is still running. */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  private int awaitExit(Duration timeout, String when) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("server pid " + process.pid() + " did not exit within " + timeout.toSeconds()
            + "s " + when + "; log tail:\n" + logTail());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for server pid " + process.pid() + " to exit", e);
    }
  }

  /** Configures and starts a {@link ServerProcess}. */
  public static final class Builder {
    private final Path workDir;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
    private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
    private int fixedPort;

    private Builder(Path workDir) {
      this.workDir = Objects.requireNonNull(workDir, "workDir").toAbsolutePath();
    }

    /** Sets one environment variable of the server, e.g. {@code REMEDIATOR_RULES}. */
    public Builder env(String name, String value) {
      if (name.equals("REMEDIATOR_LISTEN")) {
        throw new IllegalArgumentException("REMEDIATOR_LISTEN is chosen by ServerProcess; use port(int) to fix it");
      }
      env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Listens on this port instead of a free one (to restart a replica where it was). 0: a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535, but was " + port);
      }
      this.fixedPort = port;
      return this;
    }

    /** How long {@link #start()} waits for {@code /-/ready} (default 30 s). */
    public Builder readyTimeout(Duration readyTimeout) {
      if (readyTimeout.isNegative() || readyTimeout.isZero()) {
        throw new IllegalArgumentException("readyTimeout must be positive, but was " + readyTimeout);
      }
      this.readyTimeout = readyTimeout;
      return this;
    }

    /**
     * Starts the server and returns at once, without waiting for {@code /-/ready}: for tests that
     * kill it while it starts (opening the store, migrating, recovering).
     */
    public ServerProcess launch() {
      requireJar();
      int port = fixedPort != 0 ? fixedPort : freePort();
      Path logFile = workDir.resolve("server.log");
      return new ServerProcess(exec(port, logFile), logFile, port, null);
    }

    /**
     * Starts {@code java -jar target/remediator.jar serve} and waits until {@code GET /-/ready}
     * answers 200.
     *
     * @throws IllegalStateException if the jar is missing, or the server exits or is not ready
     *     within the timeout; the message carries the tail of its log
     */
    public ServerProcess start() {
      requireJar();
      Path logFile = workDir.resolve("server.log");
      List<String> failures = new ArrayList<>();
      for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
        int port = fixedPort != 0 ? fixedPort : freePort();
        try {
          return startOn(port, logFile);
        } catch (PortTakenException e) {
          if (fixedPort != 0) {
            throw new IllegalStateException(e.getMessage() + "; log tail:\n" + tail(read(logFile), LOG_TAIL_LINES));
          }
          // Another process took the free port between probing and binding: try a new one.
          failures.add(e.getMessage());
        }
      }
      throw new IllegalStateException("server could not bind a loopback port in " + START_ATTEMPTS
          + " attempts:\n" + String.join("\n", failures));
    }

    private ServerProcess startOn(int port, Path logFile) {
      long started = System.nanoTime();
      long logOffset = read(logFile).length();
      Process process = exec(port, logFile);
      try {
        awaitReady(process, port, logFile, logOffset);
      } catch (RuntimeException e) {
        if (process.isAlive()) {
          process.destroyForcibly();
        }
        throw e;
      }
      return new ServerProcess(process, logFile, port, Duration.ofNanos(System.nanoTime() - started));
    }

    private static void requireJar() {
      if (!Files.isRegularFile(JAR)) {
        throw new IllegalStateException(JAR + " does not exist: build it with mvn package (mvn verify does)");
      }
    }

    private Process exec(int port, Path logFile) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.addAll(List.of("-jar", JAR.toString(), "serve"));
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(env);
      builder.environment().put("REMEDIATOR_LISTEN", "127.0.0.1:" + port);
      try {
        Files.createDirectories(workDir);
        Files.writeString(logFile, "---- start on port " + port + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return builder.start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + command + " in " + workDir, e);
      }
    }

    private void awaitReady(Process process, int port, Path logFile, long logOffset) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
          .timeout(Duration.ofSeconds(2))
          .GET()
          .build();
      long deadline = System.nanoTime() + readyTimeout.toNanos();
      String lastAnswer = "no answer yet";
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          String log = read(logFile);
          String thisStart = log.length() > logOffset ? log.substring((int) logOffset) : "";
          if (thisStart.contains("Address already in use") || thisStart.contains("Failed to bind")) {
            throw new PortTakenException("port " + port + " already in use");
          }
          throw new IllegalStateException("server exited with code " + process.exitValue() + " before it got ready at "
              + ready.uri() + "; log tail:\n" + tail(thisStart, LOG_TAIL_LINES));
        }
        try {
          HttpResponse<String> response = http.send(ready, HttpResponse.BodyHandlers.ofString());
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
          throw new IllegalStateException("interrupted while waiting for the server at " + ready.uri(), e);
        }
        pause(Duration.ofMillis(25));
      }
      throw new IllegalStateException("server did not get ready at " + ready.uri() + " within "
          + readyTimeout.toSeconds() + "s (last answer: " + lastAnswer + "); log tail:\n"
          + tail(read(logFile), LOG_TAIL_LINES));
    }

    private static void pause(Duration duration) {
      try {
        Thread.sleep(duration.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the server", e);
      }
    }
  }

  private static final class PortTakenException extends RuntimeException {
    PortTakenException(String message) {
      super(message);
    }
  }
}
