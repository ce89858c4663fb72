package dev.remediator.action.command;

import dev.remediator.action.Action;
import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.action.ParamChecks;
import dev.remediator.rules.ActionSpec.ParamProblem;
import dev.remediator.rules.ActionSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Carries out an action such as {@code restart} or {@code rollback} on a {@code command} target by
 * running the rule's argv list, exactly as the {@code command} action runs it (no shell, minimal
 * environment, process tree killed on timeout), and records the exit status and the tail of the
 * output as facts. Neither a restart nor a rollback is known to be safe to repeat, so every
 * failure is permanent. A rollback's version comes from the alert through the rule's templates,
 * rendered when the remediation is decided, so it is fixed from then on and needs no pin.
 */
public final class NamedCommandAction implements Action {
  private final NamedCommandSpec spec;
  private final ArgvRunner runner;

  public NamedCommandAction(NamedCommandSpec spec, Map<String, String> parentEnvironment, Duration killGrace) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.runner = new ArgvRunner(parentEnvironment, CommandAction.PASSED_ENVIRONMENT, killGrace);
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
    List<String> argv = CommandSpec.strings(request.params().get("argv"));
    ArgvRunner.Outcome outcome = runner.run(argv, request.target().setting("working_dir"),
        CommandSpec.timeout(request.params()), ArgvRunner.Streams.MERGED);
    if (outcome instanceof ArgvRunner.NotStarted notStarted) {
      return new ActionResult.Permanent(spec.name() + " could not start " + argv.get(0) + ": "
          + notStarted.reason(), notStarted.cause());
    }
    if (outcome instanceof ArgvRunner.TimedOut timedOut) {
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("timed_out", true);
      facts.put("killed_processes", timedOut.processes());
      facts.put("output", ArgvRunner.tail(timedOut.output()));
      return new ActionResult.Permanent(spec.name() + " " + ArgvRunner.withTail(ArgvRunner.timedOut(timedOut),
          timedOut.output()), null, facts);
    }
    ArgvRunner.Exited exited = (ArgvRunner.Exited) outcome;
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("exit_status", exited.status());
    facts.put("output", ArgvRunner.tail(exited.output()));
    if (exited.status() == 0) {
      return new ActionResult.Succeeded(exited.output(), facts);
    }
    return new ActionResult.Permanent(spec.name() + " " + ArgvRunner.withTail("exited with status "
        + exited.status(), exited.output()), null, facts);
  }
}
