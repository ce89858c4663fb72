package dev.remediator.action.command;

import dev.remediator.action.Action;
import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.action.ParamChecks;
import dev.remediator.rules.ActionSpec.ParamProblem;
import dev.remediator.rules.ActionSpec;
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
 * Runs a rule's argv list as a child process, never through a shell: stdin from /dev/null, a
 * minimal environment, merged output kept up to 64 KiB, and the whole process tree killed when the
 * timeout passes or the calling thread is interrupted. A command is not known to be safe to
 * repeat, so every failure is permanent.
 */
public final class CommandAction implements Action {
  /** The only variables a command inherits; the server's own secrets stay behind. */
  public static final List<String> PASSED_ENVIRONMENT = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ");
  static final int OUTPUT_LIMIT = 64 * 1024;
  private static final int TAIL_CHARS = 2000;
  private static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);
  private static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);
  private static final File DEV_NULL = new File("/dev/null");

  private final CommandSpec spec = new CommandSpec();
  private final Map<String, String> environment;
  private final Duration killGrace;

  /**
   * @param parentEnvironment the server's environment (normally {@code System.getenv()}); only
   *     {@link #PASSED_ENVIRONMENT} is passed on
   * @param killGrace how long a timed-out tree gets between SIGTERM and SIGKILL
   */
  public CommandAction(Map<String, String> parentEnvironment, Duration killGrace) {
    Objects.requireNonNull(parentEnvironment, "parentEnvironment");
    Objects.requireNonNull(killGrace, "killGrace");
    if (killGrace.isNegative()) {
      throw new IllegalArgumentException("killGrace must not be negative, but was " + killGrace);
    }
    TreeMap<String, String> passed = new TreeMap<>();
    for (String name : PASSED_ENVIRONMENT) {
      String value = parentEnvironment.get(name);
      if (value != null) {
        passed.put(name, value);
      }
    }
    this.environment = Map.copyOf(passed);
    this.killGrace = killGrace;
  }

  public CommandAction(Map<String, String> parentEnvironment) {
    this(parentEnvironment, DEFAULT_KILL_GRACE);
  }

  @Override
  public ActionSpec spec() {
    return spec;
  }

  @Override
  public ActionResult execute(ActionRequest request) throws InterruptedException {
    List<ParamProblem> problems = spec.validate(request.params());
    if (!problems.isEmpty()) {
      return new ActionResult.Permanent("invalid parameters: " + ParamChecks.summary(problems), null);
    }
    List<String> argv = ((List<?>) request.params().get("argv")).stream().map(String.class::cast).toList();
    Duration timeout = CommandSpec.timeout(request.params());

    ProcessBuilder builder = new ProcessBuilder(argv)
        .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
        .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(environment);
    if (!request.target().setting("working_dir").isEmpty()) {
      builder.directory(new File(request.target().setting("working_dir")));
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      return new ActionResult.Permanent("could not start " + argv.get(0) + ": " + reason, e);
    }
    OutputCapture output = OutputCapture.start(
        process.getInputStream(), OUTPUT_LIMIT, "remediator-command-output-" + process.pid());

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
      String count = tree.size() == 1 ? "1 process" : tree.size() + " processes";
      return new ActionResult.Permanent(withTail(
          "timed out after " + PromDuration.format(timeout) + "; killed process tree (" + count + ")",
          output.awaitText(OUTPUT_GRACE)), null);
    }
    String text = output.awaitText(OUTPUT_GRACE);
    int status = process.exitValue();
    if (status == 0) {
      return new ActionResult.Succeeded(text);
    }
    return new ActionResult.Permanent(withTail("exited with status " + status, text), null);
  }

  private static String withTail(String reason, String output) {
    String tail = output.strip();
    if (tail.isEmpty()) {
      return reason;
    }
    if (tail.length() > TAIL_CHARS) {
      tail = "..." + tail.substring(tail.length() - TAIL_CHARS);
    }
    return reason + ": " + tail;
  }
}
