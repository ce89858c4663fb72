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
import java.util.Optional;

/**
 * {@code scale} on a {@code command} target: reads the replica count now (from the rendered
 * {@code current}, or from the stdout of the {@code query} argv), takes one step by factor or
 * step within [min_replicas, max_replicas], and runs {@code argv} with
 * {@value ScaleCommandSpec#PLACEHOLDER} replaced by the new count. Both commands run like the
 * {@code command} action's (no shell, minimal environment, process tree killed on timeout) and
 * share one timeout. When the step changes nothing (already at a bound), nothing is run. Every
 * failure is permanent: neither command is known to be safe to repeat.
 */
public final class ScaleCommandAction implements Action {
  private final ScaleCommandSpec spec = new ScaleCommandSpec();
  private final ArgvRunner runner;

  public ScaleCommandAction(Map<String, String> parentEnvironment, Duration killGrace) {
    this.runner = new ArgvRunner(parentEnvironment, CommandAction.PASSED_ENVIRONMENT, killGrace);
  }

  @Override
  public ActionSpec spec() {
    return spec;
  }

  @Override
  public ActionResult execute(ActionRequest request) throws InterruptedException {
    List<ParamProblem> problems = spec.validateRendered(request.params());
    if (!problems.isEmpty()) {
      return new ActionResult.Permanent("invalid parameters: " + ParamChecks.summary(problems), null);
    }
    Map<String, Object> params = request.params();
    String workingDir = request.target().setting("working_dir");
    long deadline = System.nanoTime() + CommandSpec.timeout(params).toNanos();

    int before;
    if (params.get("query") != null) {
      Current current = query(CommandSpec.strings(params.get("query")), workingDir, left(deadline));
      if (current.failure != null) {
        return current.failure;
      }
      before = current.replicas;
    } else {
      Optional<Integer> given = ScaleCommandSpec.Replicas.parse(String.valueOf(params.get("current")));
      if (given.isEmpty()) {
        return new ActionResult.Permanent("scale: current must be a whole number of replicas, but was "
            + ParamChecks.describe(params.get("current")) + " (check the alert's annotation)", null);
      }
      before = given.get();
    }

    ReplicaStep step = ScaleCommandSpec.step(params);
    int after = step.next(before);
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("replicas_before", before);
    if (after == before) {
      facts.put("replicas_after", after);
      return new ActionResult.Succeeded("scale: replicas stay at " + before + " (" + step.describe()
          + " within " + step.min() + ".." + step.max() + " changes nothing); nothing was run", facts);
    }
    List<String> argv = CommandSpec.strings(params.get("argv")).stream()
        .map(arg -> arg.replace(ScaleCommandSpec.PLACEHOLDER, Integer.toString(after))).toList();
    Duration rest = left(deadline);
    if (rest.isZero()) {
      facts.put("replicas_wanted", after);
      return new ActionResult.Permanent("scale: the query used the whole timeout; " + argv.get(0) + " was not run",
          null, facts);
    }
    ArgvRunner.Outcome outcome = runner.run(argv, workingDir, rest, ArgvRunner.Streams.MERGED);
    if (outcome instanceof ArgvRunner.NotStarted notStarted) {
      facts.put("replicas_wanted", after);
      return new ActionResult.Permanent("scale could not start " + argv.get(0) + ": " + notStarted.reason(),
          notStarted.cause(), facts);
    }
    if (outcome instanceof ArgvRunner.TimedOut timedOut) {
      facts.put("replicas_wanted", after);
      facts.put("timed_out", true);
      facts.put("output", ArgvRunner.tail(timedOut.output()));
      return new ActionResult.Permanent("scale to " + after + " " + ArgvRunner.withTail(ArgvRunner.timedOut(timedOut),
          timedOut.output()), null, facts);
    }
    ArgvRunner.Exited exited = (ArgvRunner.Exited) outcome;
    if (exited.status() != 0) {
      facts.put("replicas_wanted", after);
      facts.put("exit_status", exited.status());
      facts.put("output", ArgvRunner.tail(exited.output()));
      return new ActionResult.Permanent("scale to " + after + " " + ArgvRunner.withTail("exited with status "
          + exited.status(), exited.output()), null, facts);
    }
    facts.put("replicas_after", after);
    facts.put("exit_status", 0);
    facts.put("output", ArgvRunner.tail(exited.output()));
    String output = "scaled from " + before + " to " + after + " replicas (" + step.describe() + ")";
    return new ActionResult.Succeeded(exited.output().isBlank() ? output : output + "\n" + exited.output(), facts);
  }

  /** The count the query prints on stdout, or why there is none. */
  private Current query(List<String> query, String workingDir, Duration timeout) throws InterruptedException {
    ArgvRunner.Outcome outcome = runner.run(query, workingDir, timeout, ArgvRunner.Streams.SEPARATE);
    if (outcome instanceof ArgvRunner.NotStarted notStarted) {
      return Current.failed(new ActionResult.Permanent("scale: could not start query " + query.get(0) + ": "
          + notStarted.reason(), notStarted.cause()));
    }
    if (outcome instanceof ArgvRunner.TimedOut timedOut) {
      return Current.failed(new ActionResult.Permanent("scale: query " + ArgvRunner.withTail(
          ArgvRunner.timedOut(timedOut), timedOut.errors()) + "; nothing was scaled", null));
    }
    ArgvRunner.Exited exited = (ArgvRunner.Exited) outcome;
    if (exited.status() != 0) {
      return Current.failed(new ActionResult.Permanent("scale: query " + ArgvRunner.withTail("exited with status "
          + exited.status(), exited.errors() + "\n" + exited.output()) + "; nothing was scaled", null));
    }
    Optional<Integer> replicas = ScaleCommandSpec.Replicas.parse(exited.output());
    if (replicas.isEmpty()) {
      return Current.failed(new ActionResult.Permanent("scale: query " + query.get(0)
          + " must print the replica count now, but printed " + ParamChecks.describe(ArgvRunner.tail(exited.output()))
          + "; nothing was scaled", null));
    }
    return new Current(replicas.get(), null);
  }

  private static Duration left(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  private record Current(int replicas, ActionResult failure) {
    static Current failed(ActionResult failure) {
      return new Current(-1, failure);
    }
  }
}
