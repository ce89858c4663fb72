package dev.remediator.action.kubernetes;

import dev.remediator.action.ParamChecks;
import dev.remediator.action.kubernetes.Workload.Kind;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.TargetKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules-file contract of {@code scale} on a kubernetes target: {@code deployment} or
 * {@code statefulset} (may be templated), an optional {@code namespace}, how far to go
 * ({@code factor}, a number above 0 other than 1, or {@code step}, a whole number other than 0;
 * one of them), {@code min_replicas} (default 1), {@code max_replicas} (required when scaling up)
 * and {@code timeout}. One run moves one step at most.
 */
public final class KubernetesScaleSpec implements ActionSpec {
  public static final String NAME = "scale";
  static final List<Kind> KINDS = List.of(Kind.DEPLOYMENT, Kind.STATEFULSET);
  static final int DEFAULT_MIN_REPLICAS = 1;
  private static final List<String> KEYS = List.of("namespace", "deployment", "statefulset", "factor", "step",
      "min_replicas", "max_replicas", "timeout");

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
    int before = problems.size();
    Object factor = with.get("factor");
    Object step = with.get("step");
    if (factor == null && step == null) {
      problems.add(new ParamProblem("", "needs factor or step: how far to scale in one run"));
    } else if (factor != null && step != null) {
      problems.add(new ParamProblem("step", "cannot be given together with factor; give one of them"));
    }
    if (factor != null) {
      factorProblem(factor).ifPresent(problem -> problems.add(new ParamProblem("factor", problem)));
    }
    if (step != null && !(step instanceof Integer count && count != 0)) {
      problems.add(new ParamProblem("step",
          "must be a whole number other than 0, such as 1 or -1, but was " + ParamChecks.describe(step)));
    }
    Object min = with.get("min_replicas");
    if (min != null && !(min instanceof Integer count && count >= 0)) {
      problems.add(new ParamProblem("min_replicas",
          "must be a whole number of at least 0, but was " + ParamChecks.describe(min)));
    }
    Object max = with.get("max_replicas");
    if (max != null && !(max instanceof Integer count && count >= 1)) {
      problems.add(new ParamProblem("max_replicas",
          "must be a whole number of at least 1, but was " + ParamChecks.describe(max)));
    }
    if (problems.size() > before) {
      return problems;
    }
    int minReplicas = min == null ? DEFAULT_MIN_REPLICAS : (Integer) min;
    if (max != null && (Integer) max < minReplicas) {
      problems.add(new ParamProblem("max_replicas", "must not be less than min_replicas (" + minReplicas
          + (min == null ? " unless set" : "") + "), but was " + max));
    } else if (max == null && step(with).up()) {
      problems.add(new ParamProblem("max_replicas",
          "is required when scaling up (factor above 1 or a positive step): the most replicas this rule may set"));
    }
    return problems;
  }

  private static Optional<String> factorProblem(Object factor) {
    BigDecimal value = decimal(factor);
    if (value == null || value.signum() <= 0) {
      return Optional.of("must be a number above 0, such as 2 or 0.5, but was " + ParamChecks.describe(factor));
    }
    if (value.compareTo(BigDecimal.ONE) == 0) {
      return Optional.of("must not be 1, which would not scale");
    }
    return Optional.empty();
  }

  private static BigDecimal decimal(Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return BigDecimal.valueOf(((Number) value).longValue());
    }
    if (value instanceof Double number && Double.isFinite(number)) {
      return BigDecimal.valueOf(number);
    }
    return null;
  }

  /** The step of validated parameters. */
  static ScaleStep step(Map<String, Object> params) {
    Object min = params.get("min_replicas");
    return new ScaleStep(decimal(params.get("factor")), (Integer) params.get("step"),
        min == null ? DEFAULT_MIN_REPLICAS : (Integer) min, (Integer) params.get("max_replicas"));
  }
}
