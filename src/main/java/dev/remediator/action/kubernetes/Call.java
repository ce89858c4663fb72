package dev.remediator.action.kubernetes;

import dev.remediator.action.ActionResult;
import java.util.Map;

/**
 * One API call an action makes, as failure messages and RBAC name it: the verb and resource
 * ({@code patch deployments}), the workload it is about, and how far a failure of it may have
 * reached the target (reads change nothing; the scale subresource's PUT of a pinned count is
 * idempotent; a PATCH may have been applied). Turns a failure of the call into the action's
 * result: retryable, with that reach, only when the call is not a PATCH and the failure may pass.
 */
record Call(String verb, String resource, Workload workload, ActionResult.Reached reaches) {
  /** A GET of the workload itself. */
  static Call read(Workload workload) {
    return new Call("get", workload.kind().resource(), workload, ActionResult.Reached.READS_ONLY);
  }

  /** A PATCH of the workload itself; not repeated, as it may have been applied. */
  static Call patch(Workload workload) {
    return new Call("patch", workload.kind().resource(), workload, ActionResult.Reached.MAYBE_ACTED);
  }

  static Call readScale(Workload workload) {
    return new Call("get", workload.kind().resource() + "/scale", workload, ActionResult.Reached.READS_ONLY);
  }

  /**
   * The PUT of a pinned replica count: repeating it sets the same count again, yet the retry
   * policy still never repeats a scale once it may have reached the cluster.
   */
  static Call updateScale(Workload workload) {
    return new Call("update", workload.kind().resource() + "/scale", workload,
        ActionResult.Reached.IDEMPOTENT_REQUEST);
  }

  static Call listReplicaSets(Workload workload) {
    return new Call("list", "replicasets", workload, ActionResult.Reached.READS_ONLY);
  }

  private boolean repeatable() {
    return reaches != ActionResult.Reached.MAYBE_ACTED;
  }

  /** {@code get deployment prod/api}, {@code update the scale of deployment prod/api}. */
  String describe() {
    if (resource.equals("replicasets")) {
      return "list the replicasets of " + workload;
    }
    return resource.endsWith("/scale") ? verb + " the scale of " + workload : verb + " " + workload;
  }

  /** Why the call failed, in one sentence that names the workload, or the verb and resource refused. */
  String reason(KubeException failure, String targetName) {
    return switch (failure.reason()) {
      case NOT_FOUND -> workload + " not found";
      case FORBIDDEN -> "forbidden to " + verb + " " + resource + " in namespace " + workload.namespace() + ": "
          + failure.getMessage();
      case UNAUTHORIZED -> "the API server did not accept the credentials of target " + targetName + ": "
          + failure.getMessage();
      case CREDENTIALS -> "target " + targetName + ": " + failure.getMessage();
      case CONFLICT -> "could not " + describe() + ": it changed during the call, twice: " + failure.getMessage();
      default -> "could not " + describe() + ": " + failure.getMessage()
          + (repeatable() || !failure.mayPass() ? "" : "; a change that may have been applied is not repeated");
    };
  }

  /** The action's result for {@code failure}: retryable only if the call is no PATCH and the failure may pass. */
  ActionResult result(KubeException failure, String targetName, Map<String, Object> facts) {
    String reason = reason(failure, targetName);
    if (repeatable() && failure.mayPass()) {
      return new ActionResult.Retryable(reason, failure, reaches);
    }
    return new ActionResult.Permanent(reason, failure, facts);
  }
}
