package dev.remediator.action.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.rules.ActionSpec.ParamProblem;
import dev.remediator.target.TargetKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaleCommandSpecTest {
  private static final List<String> ARGV = List.of("docker", "compose", "up", "-d", "--scale", "worker={replicas}");

  private final ScaleCommandSpec spec = new ScaleCommandSpec();

  private static Map<String, Object> with(Object... keysAndValues) {
    Map<String, Object> with = new HashMap<>();
    with.put("argv", ARGV);
    with.put("current", "{{ annotations.current_replicas }}");
    with.put("factor", 2);
    with.put("max_replicas", 10);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] == null) {
        with.remove((String) keysAndValues[i]);
      } else {
        with.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return with;
  }

  @Test
  void describesItselfAsAStrictScaleOnCommandTargets() {
    assertThat(spec.name()).isEqualTo("scale");
    assertThat(spec.targetKinds()).containsExactly(TargetKind.COMMAND);
    assertThat(spec.strictTemplates()).isTrue();
  }

  @Test
  void acceptsTheDocumentedForms() {
    assertThat(spec.validate(with())).isEmpty();
    assertThat(spec.validate(with("factor", 0.5, "min_replicas", 2, "timeout", "2m"))).isEmpty();
    assertThat(spec.validate(with("factor", null, "step", -1, "current", 4))).isEmpty();
    assertThat(spec.validate(with("current", null, "query", List.of("/usr/local/bin/replicas", "worker")))).isEmpty();
    assertThat(spec.validate(with("current", "3"))).isEmpty();
  }

  @Test
  void refusesFactorAndStepTogetherAndNeither() {
    assertThat(spec.validate(with("step", 1))).containsExactly(new ParamProblem("step",
        "cannot be given with factor: scale by a factor (new = ceil(current x factor)) or by a step"
            + " (new = current + step), not both"));
    assertThat(spec.validate(with("factor", null))).containsExactly(
        new ParamProblem("", "needs factor (e.g. 2, or 0.5 to scale down) or step (e.g. 1, or -1)"));
  }

  @Test
  void refusesFactorsThatAreNotAboveZeroOrChangeNothing() {
    assertThat(spec.validate(with("factor", 0))).containsExactly(new ParamProblem("factor", "must be above 0, but was 0"));
    assertThat(spec.validate(with("factor", -0.5)))
        .containsExactly(new ParamProblem("factor", "must be above 0, but was -0.5"));
    assertThat(spec.validate(with("factor", 1.0)))
        .containsExactly(new ParamProblem("factor", "must not be 1, which never changes the replica count"));
    assertThat(spec.validate(with("factor", "2")))
        .containsExactly(new ParamProblem("factor", "must be a number such as 2 or 0.5, but was \"2\""));
  }

  @Test
  void refusesNonIntegerCountsAndSteps() {
    assertThat(spec.validate(with("factor", null, "step", 1.5)))
        .containsExactly(new ParamProblem("step", "must be a whole number, but was 1.5"));
    assertThat(spec.validate(with("max_replicas", 7.5)))
        .containsExactly(new ParamProblem("max_replicas", "must be a whole number, but was 7.5"));
    assertThat(spec.validate(with("min_replicas", "2")))
        .containsExactly(new ParamProblem("min_replicas", "must be a whole number, but was \"2\""));
    assertThat(spec.validate(with("current", "three"))).containsExactly(new ParamProblem("current",
        "must be a whole number of replicas or a template such as \"{{ annotations.current_replicas }}\","
            + " but was \"three\""));
    assertThat(spec.validate(with("factor", null, "step", 0)))
        .containsExactly(new ParamProblem("step", "must not be 0, which never changes the replica count"));
  }

  @Test
  void refusesMaxBelowMinAndAMissingMax() {
    assertThat(spec.validate(with("min_replicas", 4, "max_replicas", 3)))
        .containsExactly(new ParamProblem("max_replicas", "must not be below min_replicas (4), but was 3"));
    assertThat(spec.validate(with("max_replicas", null)))
        .containsExactly(new ParamProblem("max_replicas", "is required: the most replicas this rule may scale to"));
    assertThat(spec.validate(with("max_replicas", 0)))
        .containsExactly(new ParamProblem("max_replicas", "must be between 1 and 10000, but was 0"));
  }

  @Test
  void needsExactlyOneOfCurrentAndQuery() {
    assertThat(spec.validate(with("query", List.of("/usr/local/bin/replicas")))).containsExactly(new ParamProblem(
        "query", "cannot be given with current: give the count now (current) or a command that prints it (query),"
            + " not both"));
    assertThat(spec.validate(with("current", null))).containsExactly(new ParamProblem("",
        "needs current (the replica count now, e.g. \"{{ annotations.current_replicas }}\") or query"
            + " (an argv list that prints it)"));
    assertThat(spec.validate(with("current", null, "query", List.of("{{ labels.tool }}"))))
        .containsExactly(new ParamProblem("query", "query[0] must be a literal program, not a template"));
  }

  @Test
  void argvMustSayWhereTheNewCountGoes() {
    assertThat(spec.validate(with("argv", List.of("docker", "compose", "up", "--scale", "worker=3"))))
        .containsExactly(new ParamProblem("argv",
            "must contain {replicas} where the new replica count goes, e.g. \"worker={replicas}\""));
    assertThat(spec.validate(with("argv", List.of("{replicas}"))))
        .containsExactly(new ParamProblem("argv", "argv[0] must be a literal program, not {replicas}"));
  }

  @Test
  void rejectsUnknownKeys() {
    assertThat(spec.validate(with("replicas", 3))).containsExactly(new ParamProblem("replicas",
        "is not a parameter of scale (known: argv, current, query, factor, step, min_replicas, max_replicas, timeout)"));
  }
}
