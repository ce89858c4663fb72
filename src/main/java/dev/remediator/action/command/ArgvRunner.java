package dev.remediator.action.command;

import dev.remediator.rules.PromDuration;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs an argv list as a child process, never through a shell: stdin from /dev/null, a minimal
 * environment, output kept up to 64 KiB per stream, and the whole process tree killed when the
 * timeout passes or the calling thread is interrupted. Says how the process ended; what that
 * means (success, a count on stdout) is for the action that ran it.
 */
final class ArgvRunner {
  static final int OUTPUT_LIMIT = 64 * 1024;
  private static final int TAIL_CHARS = 2000;
  private static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);
  private static final File DEV_NULL = new File("/dev/null");

  /** Whether stderr joins stdout (what a person reads) or is kept apart (stdout is a value to parse). */
  enum Streams { MERGED, SEPARATE }

  /** How a run ended. */
  sealed interface Outcome {}

  /** The program could not be started (not found, not executable, bad working directory). */
  record NotStarted(String reason, IOException cause) implements Outcome {}

  /** The timeout passed; the tree of {@code processes} was killed. */
  record TimedOut(Duration timeout, int processes, String output, String errors) implements Outcome {}

  /** The process exited with {@code status}; {@code errors} is empty when the streams were merged. */
  record Exited(int status, String output, String errors) implements Outcome {}

  private final Map<String, String> environment;
  private final Duration killGrace;

  /**
   * @param parentEnvironment the server's environment; only {@code passed} is handed on
   * @param killGrace how long a timed-out tree gets between SIGTERM and SIGKILL
   */
  ArgvRunner(Map<String, String> parentEnvironment, List<String> passed, Duration killGrace) {
    Objects.requireNonNull(parentEnvironment, "parentEnvironment");
    Objects.requireNonNull(killGrace, "killGrace");
    if (killGrace.isNegative()) {
      throw new IllegalArgumentException("killGrace must not be negative, but was " + killGrace);
    }
    TreeMap<String, String> kept = new TreeMap<>();
    for (String name : passed) {
      String value = parentEnvironment.get(name);
      if (value != null) {
        kept.put(name, value);
      }
    }
    this.environment = Map.copyOf(kept);
    this.killGrace = killGrace;
  }

  /**
   * Runs {@code argv} in {@code workingDir} (the server's own when empty) for at most
   * {@code timeout}. When interrupted, kills the tree forcibly and rethrows.
   */
  Outcome run(List<String> argv, String workingDir, Duration timeout, Streams streams) throws InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(argv)
        .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
        .redirectErrorStream(streams == Streams.MERGED);
    builder.environment().clear();
    builder.environment().putAll(environment);
    if (!workingDir.isEmpty()) {
      builder.directory(new File(workingDir));
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      return new NotStarted(reason, e);
    }
    OutputCapture output = OutputCapture.start(
        process.getInputStream(), OUTPUT_LIMIT, "remediator-command-output-" + process.pid());
    OutputCapture errors = streams == Streams.MERGED ? null : OutputCapture.start(
        process.getErrorStream(), OUTPUT_LIMIT, "remediator-command-errors-" + process.pid());

    boolean exited;
    try {
      exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      ProcessTree.of(process).destroyForcibly();
      throw e;
    }
    if (!exited) {
      ProcessTree tree = ProcessTree.of(process);
      tree.destroy(killGrace);
      return new TimedOut(timeout, tree.size(), output.awaitText(OUTPUT_GRACE), text(errors));
    }
    String text = output.awaitText(OUTPUT_GRACE);
    return new Exited(process.exitValue(), text, text(errors));
  }

  private static String text(OutputCapture capture) throws InterruptedException {
    return capture == null ? "" : capture.awaitText(OUTPUT_GRACE);
  }

  /** The reason for a timed-out run, as the command action has always worded it. */
  static String timedOut(TimedOut outcome) {
    String count = outcome.processes() == 1 ? "1 process" : outcome.processes() + " processes";
    return "timed out after " + PromDuration.format(outcome.timeout()) + "; killed process tree (" + count + ")";
  }

  /** {@code reason}, then ": " and the last 2,000 characters of {@code output} when it has any. */
  static String withTail(String reason, String output) {
    String tail = tail(output);
    return tail.isEmpty() ? reason : reason + ": " + tail;
  }

  /** The last 2,000 characters of {@code output}, stripped, with "..." when cut. */
  static String tail(String output) {
    String tail = output.strip();
    if (tail.length() > TAIL_CHARS) {
      tail = "..." + tail.substring(tail.length() - TAIL_CHARS);
    }
    return tail;
  }
}
