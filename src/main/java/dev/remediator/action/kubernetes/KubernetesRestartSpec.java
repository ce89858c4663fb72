package dev.remediator.action.kubernetes;

import dev.remediator.action.ParamChecks;
import dev.remediator.action.kubernetes.Workload.Kind;
import dev.remediator.rules.ActionSpec;
import dev.remediator.rules.PromDuration;
import dev.remediator.target.TargetKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules-file contract of {@code restart} on a kubernetes target: {@code deployment} or
 * {@code statefulset} (a name, may be templated), an optional {@code namespace} (else the
 * target's), an optional {@code wait} (follow the rollout until done, as a duration), and
 * {@code timeout}, which limits the whole restart including the wait, so it must be the longer.
 */
public final class KubernetesRestartSpec implements ActionSpec {
  public static final String NAME = "restart";
  static final List<Kind> KINDS = List.of(Kind.DEPLOYMENT, Kind.STATEFULSET);
  private static final List<String> KEYS = List.of("namespace", "deployment", "statefulset", "wait", "timeout");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<TargetKind> targetKinds() {
    return Set.of(TargetKind.KUBERNETES);
  }

  @Override
  public boolean strictTemplates() {
    return true;
  }

  @Override
  public List<ParamProblem> validate(Map<String, Object> with) {
    return problems(with, false);
  }

  /** The problems of rules-file ({@code rendered} false) or rendered parameters. */
  static List<ParamProblem> problems(Map<String, Object> with, boolean rendered) {
    List<ParamProblem> problems = new ArrayList<>(ParamChecks.unknownKeys(NAME, with, KEYS));
    problems.addAll(WorkloadParams.problems(NAME, with, KINDS, rendered));
    if (with.containsKey("wait")) {
      Duration wait;
      try {
        wait = WorkloadParams.duration(with.get("wait"));
      } catch (IllegalArgumentException e) {
        problems.add(new ParamProblem("wait", e.getMessage()));
        return problems;
      }
      Duration timeout;
      try {
        timeout = WorkloadParams.timeout(with);
      } catch (IllegalArgumentException e) {
        return problems;
      }
      if (wait.compareTo(timeout) >= 0) {
        problems.add(new ParamProblem("wait", "must be shorter than timeout (" + PromDuration.format(timeout)
            + (with.containsKey("timeout") ? "" : " unless set") + "), which limits the whole restart;"
            + " set a longer timeout too, such as timeout: " + PromDuration.format(wait.plusMinutes(1))));
      }
    }
    return problems;
  }

  /** How long to follow the rollout, when asked to. */
  static Optional<Duration> waitFor(Map<String, Object> params) {
    Object value = params.get("wait");
    return value == null ? Optional.empty() : Optional.of(WorkloadParams.duration(value));
  }
}
