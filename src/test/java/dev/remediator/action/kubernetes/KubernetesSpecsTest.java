package dev.remediator.action.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.rules.ActionSpec.ParamProblem;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubernetesSpecsTest {
  private final KubernetesRestartSpec restart = new KubernetesRestartSpec();
  private final KubernetesRollbackSpec rollback = new KubernetesRollbackSpec();
  private final KubernetesScaleSpec scale = new KubernetesScaleSpec();

  @Test
  void templatedNamesPassTheCheckAndLiteralNamesMustBeKubernetesNames() {
    assertThat(restart.validate(Map.of("namespace", "{{ labels.namespace }}", "deployment", "{{ labels.service }}")))
        .isEmpty();
    assertThat(restart.validate(Map.of("namespace", "Prod", "deployment", "api_v2"))).containsExactly(
        new ParamProblem("namespace", "must be a namespace name (DNS-1123 label: at most 63 lowercase letters,"
            + " digits or \"-\", starting and ending with a letter or digit), but was \"Prod\""),
        new ParamProblem("deployment", "must be an object name (DNS-1123 subdomain: at most 253 lowercase letters,"
            + " digits, \"-\" or \".\", starting and ending with a letter or digit), but was \"api_v2\""));
  }

  @Test
  void renderedNamesAreCheckedEvenWhereTheRuleHadATemplate() {
    assertThat(KubernetesRestartSpec.problems(Map.of("deployment", "{{ labels.service }}"), true))
        .extracting(ParamProblem::key).containsExactly("deployment");
  }

  @Test
  void restartNamesExactlyOneWorkload() {
    assertThat(restart.validate(Map.of("namespace", "prod"))).containsExactly(
        new ParamProblem("", "needs deployment or statefulset: the workload to restart"));
    assertThat(restart.validate(Map.of("deployment", "api", "statefulset", "api"))).containsExactly(
        new ParamProblem("statefulset", "cannot be given together with deployment; name one workload"));
  }

  @Test
  void restartRefusesUnknownKeysAndWaitsNoLongerThanItsTimeout() {
    assertThat(restart.validate(Map.of("deployment", "api", "replicas", 3))).containsExactly(
        new ParamProblem("replicas", "is not a parameter of restart (known: namespace, deployment, statefulset,"
            + " wait, timeout)"));
    assertThat(restart.validate(Map.of("deployment", "api", "wait", "5m"))).containsExactly(
        new ParamProblem("wait", "must be shorter than timeout (30s unless set), which limits the whole restart;"
            + " set a longer timeout too, such as timeout: 6m"));
    assertThat(restart.validate(Map.of("deployment", "api", "wait", "5m", "timeout", "6m"))).isEmpty();
    assertThat(restart.validate(Map.of("deployment", "api", "wait", "soon"))).containsExactly(
        new ParamProblem("wait", "not a valid duration string: \"soon\" (use e.g. 90s, 15m, 1h30m)"));
    assertThat(restart.validate(Map.of("deployment", "api", "timeout", "2h"))).containsExactly(
        new ParamProblem("timeout", "must be between 1s and 1h, but was 2h"));
  }

  @Test
  void rollbackTakesDeploymentsOnly() {
    assertThat(rollback.validate(Map.of("namespace", "prod", "deployment", "api"))).isEmpty();
    assertThat(rollback.validate(Map.of("statefulset", "redis"))).containsExactly(
        new ParamProblem("statefulset", "is not a parameter of rollback (known: namespace, deployment, timeout)"),
        new ParamProblem("", "needs deployment: the workload to rollback"));
  }

  @Test
  void scaleTakesFactorOrStepButNotBothNorNeither() {
    assertThat(scale.validate(Map.of("deployment", "worker", "factor", 2, "max_replicas", 10))).isEmpty();
    assertThat(scale.validate(Map.of("deployment", "worker", "step", 1, "max_replicas", 10))).isEmpty();
    assertThat(scale.validate(Map.of("deployment", "worker", "max_replicas", 10))).containsExactly(
        new ParamProblem("", "needs factor or step: how far to scale in one run"));
    assertThat(scale.validate(Map.of("deployment", "worker", "factor", 2, "step", 1, "max_replicas", 10)))
        .containsExactly(new ParamProblem("step", "cannot be given together with factor; give one of them"));
  }

  @Test
  void scaleRefusesFactorsThatDoNotScale() {
    assertThat(scale.validate(Map.of("deployment", "worker", "factor", 0))).containsExactly(
        new ParamProblem("factor", "must be a number above 0, such as 2 or 0.5, but was 0"));
    assertThat(scale.validate(Map.of("deployment", "worker", "factor", -0.5))).containsExactly(
        new ParamProblem("factor", "must be a number above 0, such as 2 or 0.5, but was -0.5"));
    assertThat(scale.validate(Map.of("deployment", "worker", "factor", 1))).containsExactly(
        new ParamProblem("factor", "must not be 1, which would not scale"));
    assertThat(scale.validate(Map.of("deployment", "worker", "factor", "2x"))).containsExactly(
        new ParamProblem("factor", "must be a number above 0, such as 2 or 0.5, but was \"2x\""));
    assertThat(scale.validate(Map.of("deployment", "worker", "factor", 0.5))).isEmpty();
  }

  @Test
  void scaleCountsAreWholeNumbers() {
    assertThat(scale.validate(Map.of("deployment", "worker", "step", 1.5, "min_replicas", 0.5, "max_replicas", "10")))
        .containsExactly(
            new ParamProblem("step", "must be a whole number other than 0, such as 1 or -1, but was 1.5"),
            new ParamProblem("min_replicas", "must be a whole number of at least 0, but was 0.5"),
            new ParamProblem("max_replicas", "must be a whole number of at least 1, but was \"10\""));
    assertThat(scale.validate(Map.of("deployment", "worker", "step", 0, "max_replicas", 10))).containsExactly(
        new ParamProblem("step", "must be a whole number other than 0, such as 1 or -1, but was 0"));
  }

  @Test
  void scaleBoundsMustLeaveRoom() {
    assertThat(scale.validate(Map.of("deployment", "worker", "step", 1, "min_replicas", 3, "max_replicas", 2)))
        .containsExactly(new ParamProblem("max_replicas", "must not be less than min_replicas (3), but was 2"));
    assertThat(scale.validate(Map.of("deployment", "worker", "factor", 2))).containsExactly(
        new ParamProblem("max_replicas", "is required when scaling up (factor above 1 or a positive step): the most"
            + " replicas this rule may set"));
    assertThat(scale.validate(Map.of("deployment", "worker", "factor", 0.5))).isEmpty();
  }
}
