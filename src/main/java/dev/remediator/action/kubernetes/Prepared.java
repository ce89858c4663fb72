package dev.remediator.action.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.action.ParamChecks;
import dev.remediator.action.Pinning;
import dev.remediator.action.kubernetes.Workload.Kind;
import dev.remediator.rules.ActionSpec.ParamProblem;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * What every kubernetes action does before its first request: set the pin aside, check the
 * parameters as rendered from the alert (names must be valid Kubernetes names now), check that
 * the target could be configured, and name the workload. Either a failure, with nothing sent, or
 * the workload and an API whose calls share the action's time limit.
 */
final class Prepared {
  private final Map<String, Object> params;
  private final Workload workload;
  private final KubeApi api;
  private final String failure;

  private Prepared(Map<String, Object> params, Workload workload, KubeApi api, String failure) {
    this.params = params;
    this.workload = workload;
    this.api = api;
    this.failure = failure;
  }

  static Prepared of(Map<String, Object> requestParams,
                     BiFunction<Map<String, Object>, Boolean, List<ParamProblem>> spec, List<Kind> kinds,
                     ClusterConnection connection, ObjectMapper json, Clock clock) {
    Map<String, Object> params = withoutPin(requestParams);
    List<ParamProblem> problems = spec.apply(params, true);
    if (!problems.isEmpty()) {
      return failed(params, "invalid parameters: " + ParamChecks.summary(problems));
    }
    Optional<String> problem = connection.problem();
    if (problem.isPresent()) {
      return failed(params, "target " + connection.targetName() + ": " + problem.get());
    }
    Workload workload;
    try {
      workload = WorkloadParams.workload(params, kinds, connection.defaultNamespace());
    } catch (IllegalArgumentException e) {
      return failed(params, "target " + connection.targetName() + ": " + e.getMessage());
    }
    Deadline deadline = Deadline.after(clock, WorkloadParams.timeout(params));
    return new Prepared(params, workload, new KubeApi(connection, json, deadline), null);
  }

  private static Prepared failed(Map<String, Object> params, String failure) {
    return new Prepared(params, null, null, failure);
  }

  /** The parameters without {@link Pinning#PARAM}, which the decider adds and the spec does not know. */
  static Map<String, Object> withoutPin(Map<String, Object> params) {
    if (!params.containsKey(Pinning.PARAM)) {
      return params;
    }
    Map<String, Object> copy = new LinkedHashMap<>(params);
    copy.remove(Pinning.PARAM);
    return copy;
  }

  /** Why the action cannot start, when it cannot. */
  Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  Map<String, Object> params() {
    return params;
  }

  Workload workload() {
    return workload;
  }

  KubeApi api() {
    return api;
  }
}
