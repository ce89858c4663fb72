package dev.remediator.action.kubernetes;

import dev.remediator.action.ParamChecks;
import dev.remediator.action.kubernetes.Workload.Kind;
import dev.remediator.rules.ActionSpec.ParamProblem;
import dev.remediator.rules.PromDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code with} parameters every kubernetes action shares: the workload ({@code deployment} or
 * {@code statefulset}), its {@code namespace}, and {@code timeout}, which limits the whole action
 * (every request and any wait; 30s unless set). In a rules file a name may be a template, checked
 * once rendered from the alert; a literal name is checked at once.
 */
final class WorkloadParams {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration MIN_DURATION = Duration.ofSeconds(1);
  private static final Duration MAX_DURATION = Duration.ofHours(1);

  private WorkloadParams() {}

  /**
   * Problems with {@code namespace}, the workload keys of {@code kinds} and {@code timeout}.
   * {@code rendered}: the values were rendered from an alert, so a template no longer excuses a
   * name from Kubernetes' naming rules.
   */
  static List<ParamProblem> problems(String action, Map<String, Object> with, List<Kind> kinds, boolean rendered) {
    List<ParamProblem> problems = new ArrayList<>();
    if (with.containsKey("namespace")) {
      nameProblem(with.get("namespace"), rendered, KubernetesNames::namespaceProblem)
          .ifPresent(problem -> problems.add(new ParamProblem("namespace", problem)));
    }
    List<Kind> given = kinds.stream().filter(kind -> with.containsKey(kind.key())).toList();
    if (given.isEmpty()) {
      problems.add(new ParamProblem("", "needs " + kinds.stream().map(Kind::key).collect(Collectors.joining(" or "))
          + ": the workload to " + action));
    } else if (given.size() > 1) {
      problems.add(new ParamProblem(given.get(1).key(),
          "cannot be given together with " + given.get(0).key() + "; name one workload"));
    }
    for (Kind kind : given) {
      nameProblem(with.get(kind.key()), rendered, KubernetesNames::objectNameProblem)
          .ifPresent(problem -> problems.add(new ParamProblem(kind.key(), problem)));
    }
    if (with.containsKey("timeout")) {
      try {
        duration(with.get("timeout"));
      } catch (IllegalArgumentException e) {
        problems.add(new ParamProblem("timeout", e.getMessage()));
      }
    }
    return problems;
  }

  private static Optional<String> nameProblem(Object value, boolean rendered, Function<Object, Optional<String>> check) {
    if (!(value instanceof String text)) {
      return Optional.of("must be a string, but was " + ParamChecks.describe(value));
    }
    if (!rendered && text.contains("{{")) {
      return Optional.empty();
    }
    return check.apply(text);
  }

  /** A duration parameter between 1s and 1h; throws IllegalArgumentException saying what is wrong. */
  static Duration duration(Object value) {
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException("must be a duration such as 30s or 5m, but was " + ParamChecks.describe(value));
    }
    Duration duration = PromDuration.parse(text);
    if (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException("must be between 1s and 1h, but was " + text);
    }
    return duration;
  }

  /** The time limit of validated parameters: {@code timeout}, or 30s. */
  static Duration timeout(Map<String, Object> params) {
    Object value = params.get("timeout");
    return value == null ? DEFAULT_TIMEOUT : duration(value);
  }

  /**
   * The workload named by validated, rendered parameters. Without a {@code namespace} parameter it
   * is in {@code fallbackNamespace} (the target's); with neither, IllegalArgumentException.
   */
  static Workload workload(Map<String, Object> params, List<Kind> kinds, Optional<String> fallbackNamespace) {
    Kind kind = kinds.stream().filter(candidate -> params.containsKey(candidate.key())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no workload named"));
    Object namespace = params.get("namespace");
    String resolved = namespace instanceof String given ? given : fallbackNamespace.orElseThrow(() ->
        new IllegalArgumentException("no namespace: the rule's with has none and the target sets no namespace"));
    return new Workload(kind, resolved, (String) params.get(kind.key()));
  }
}
