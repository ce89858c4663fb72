package dev.remediator.action.command;

import dev.remediator.action.Action;
import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.action.ParamChecks;
import dev.remediator.rules.ActionSpec.ParamProblem;
import dev.remediator.rules.ActionSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs a rule's argv list as a child process, never through a shell: stdin from /dev/null, a
 * minimal environment, merged output kept up to 64 KiB, and the whole process tree killed when the
 * timeout passes or the calling thread is interrupted. A command is not known to be safe to
 * repeat, so every failure is permanent.
 */
public final class CommandAction implements Action {
  /** The only variables a command inherits; the server's own secrets stay behind. */
  public static final List<String> PASSED_ENVIRONMENT = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ");
  static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);

  private final CommandSpec spec = new CommandSpec();
  private final ArgvRunner runner;

  /**
   * @param parentEnvironment the server's environment (normally {@code System.getenv()}); only
   *     {@link #PASSED_ENVIRONMENT} is passed on
   * @param killGrace how long a timed-out tree gets between SIGTERM and SIGKILL
   */
  public CommandAction(Map<String, String> parentEnvironment, Duration killGrace) {
    this.runner = new ArgvRunner(parentEnvironment, PASSED_ENVIRONMENT, killGrace);
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
    ArgvRunner.Outcome outcome = runner.run(argv, request.target().setting("working_dir"),
        CommandSpec.timeout(request.params()), ArgvRunner.Streams.MERGED);
    if (outcome instanceof ArgvRunner.NotStarted notStarted) {
      return new ActionResult.Permanent("could not start " + argv.get(0) + ": " + notStarted.reason(),
          notStarted.cause());
    }
    if (outcome instanceof ArgvRunner.TimedOut timedOut) {
      return new ActionResult.Permanent(ArgvRunner.withTail(ArgvRunner.timedOut(timedOut), timedOut.output()), null);
    }
    ArgvRunner.Exited exited = (ArgvRunner.Exited) outcome;
    if (exited.status() == 0) {
      return new ActionResult.Succeeded(exited.output());
    }
    return new ActionResult.Permanent(ArgvRunner.withTail("exited with status " + exited.status(), exited.output()),
        null);
  }
}
