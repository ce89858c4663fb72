package dev.remediator.action.kubernetes;

import dev.remediator.action.ParamChecks;
import dev.remediator.action.kubernetes.Workload.Kind;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.TargetKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules-file contract of {@code rollback} on a kubernetes target: {@code deployment} (a name,
 * may be templated), an optional {@code namespace} (else the target's) and {@code timeout}
 * (30s unless set). Only Deployments keep the ReplicaSets a rollback goes back to.
 */
public final class KubernetesRollbackSpec implements ActionSpec {
  public static final String NAME = "rollback";
  static final List<Kind> KINDS = List.of(Kind.DEPLOYMENT);
  private static final List<String> KEYS = List.of("namespace", "deployment", "timeout");

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
    return problems;
  }
}
