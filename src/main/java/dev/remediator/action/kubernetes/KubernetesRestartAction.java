package dev.remediator.action.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.remediator.action.Action;
import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.action.kubernetes.KubeException.Reason;
import dev.remediator.rules.ActionSpec;
import dev.remediator.rules.PromDuration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Restarts a Deployment or StatefulSet the way {@code kubectl rollout restart} does: a strategic
 * merge patch that stamps the pod template's {@code kubectl.kubernetes.io/restartedAt}
 * annotation, so the controller replaces every pod. With {@code wait} it then follows the rollout
 * until done, and a rollout that does not finish in time is a failure. A patch that may have
 * been applied is never repeated (a second restart is a second rollout); a conflict (409) is read
 * again and patched once more.
 */
public final class KubernetesRestartAction implements Action, AutoCloseable {
  static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
  static final Duration POLL_EVERY = Duration.ofSeconds(2);

  private final KubernetesRestartSpec spec = new KubernetesRestartSpec();
  private final ClusterConnection connection;
  private final ObjectMapper json;
  private final Clock clock;
  private final Sleeper sleeper;

  KubernetesRestartAction(ClusterConnection connection, ObjectMapper json, Clock clock, Sleeper sleeper) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.json = Objects.requireNonNull(json, "json");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  @Override
  public ActionSpec spec() {
    return spec;
  }

  @Override
  public ActionResult execute(ActionRequest request) throws InterruptedException {
    Prepared prepared = Prepared.of(request.params(), KubernetesRestartSpec::problems, KubernetesRestartSpec.KINDS,
        connection, json, clock);
    if (prepared.failure().isPresent()) {
      return new ActionResult.Permanent(prepared.failure().get(), null);
    }
    Workload workload = prepared.workload();
    KubeApi api = prepared.api();
    Map<String, Object> facts = new LinkedHashMap<>();
    JsonNode before;
    try {
      before = api.get(workload.path());
    } catch (KubeException e) {
      return Call.read(workload).result(e, connection.targetName(), facts);
    }
    facts.put("generation_before", before.path("metadata").path("generation").asLong());
    facts.put("replicas", Rollout.of(before).replicas());
    facts.put("images", PodTemplates.workloadImages(before));

    String restartedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    JsonNode after;
    try {
      after = patch(api, workload, restartedAt);
    } catch (KubeException e) {
      return Call.patch(workload).result(e, connection.targetName(), facts);
    }
    facts.put("restarted_at", restartedAt);
    facts.put("generation_after", after.path("metadata").path("generation").asLong());
    String output = "restarted " + workload + ": generation " + facts.get("generation_before") + " -> "
        + facts.get("generation_after") + ", " + facts.get("replicas") + " replicas";

    Optional<Duration> wait = KubernetesRestartSpec.waitFor(prepared.params());
    if (wait.isEmpty()) {
      return new ActionResult.Succeeded(output, facts);
    }
    Optional<String> unfinished = follow(api, workload, Rollout.of(after), wait.get(), facts);
    if (unfinished.isPresent()) {
      return new ActionResult.Permanent(unfinished.get(), null, facts);
    }
    return new ActionResult.Succeeded(output + "; rolled out", facts);
  }

  /** Patches the restart annotation; on a conflict, reads the workload again and patches once more. */
  private JsonNode patch(KubeApi api, Workload workload, String restartedAt) throws KubeException, InterruptedException {
    ObjectNode body = json.createObjectNode();
    body.putObject("spec").putObject("template").putObject("metadata").putObject("annotations")
        .put(RESTARTED_AT, restartedAt);
    try {
      return api.patch(workload.path(), KubeApi.STRATEGIC_MERGE_PATCH, body);
    } catch (KubeException e) {
      if (e.reason() != Reason.CONFLICT) {
        throw e;
      }
    }
    api.get(workload.path());
    return api.patch(workload.path(), KubeApi.STRATEGIC_MERGE_PATCH, body);
  }

  /**
   * Follows the rollout from {@code rollout} (as the patch answered) until it is done, {@code wait}
   * has passed or the action's time is up. Empty when done; else why it is not.
   */
  private Optional<String> follow(KubeApi api, Workload workload, Rollout rollout, Duration wait,
                                  Map<String, Object> facts) throws InterruptedException {
    Instant until = clock.instant().plus(wait);
    if (until.isAfter(api.deadline().end())) {
      until = api.deadline().end();
    }
    Rollout seen = rollout;
    String lastError = "";
    while (!seen.done()) {
      Instant now = clock.instant();
      if (!now.isBefore(until)) {
        facts.put("rolled_out", false);
        facts.put("updated_replicas", seen.updated());
        facts.put("available_replicas", seen.available());
        return Optional.of(workload + " was restarted but did not finish rolling out within "
            + PromDuration.format(wait) + ": " + seen.describe() + lastError);
      }
      Duration pause = Duration.between(now, until);
      sleeper.sleep(pause.compareTo(POLL_EVERY) < 0 ? pause : POLL_EVERY);
      try {
        seen = Rollout.of(api.get(workload.path()));
        lastError = "";
      } catch (KubeException e) {
        if (!e.mayPass()) {
          facts.put("rolled_out", false);
          return Optional.of(workload + " was restarted, but following its rollout failed: "
              + Call.read(workload).reason(e, connection.targetName()));
        }
        lastError = "; last look failed: " + e.getMessage();
      }
    }
    facts.put("rolled_out", true);
    facts.put("updated_replicas", seen.updated());
    facts.put("available_replicas", seen.available());
    return Optional.empty();
  }

  @Override
  public void close() {
    connection.close();
  }
}
