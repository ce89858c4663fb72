package dev.remediator.action.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.remediator.action.Action;
import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.action.Pinning;
import dev.remediator.action.kubernetes.KubeException.Reason;
import dev.remediator.action.kubernetes.RolloutHistory.Revision;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Rolls a Deployment back to the revision that was current before its latest rollout, as
 * {@code kubectl rollout undo} does: the Deployment's pod template is replaced by that
 * revision's ReplicaSet's (without its pod-template-hash label), in one JSON Patch. Which
 * revisions are meant is pinned when the remediation is decided; if the Deployment is no longer
 * on the pinned revision when it runs (someone rolled back or deployed), it refuses rather than
 * undo the undo. The patch itself tests the revision, so a change in between cannot slip through.
 */
public final class KubernetesRollbackAction implements Action, Pinning, AutoCloseable {
  private final KubernetesRollbackSpec spec = new KubernetesRollbackSpec();
  private final ClusterConnection connection;
  private final ObjectMapper json;
  private final Clock clock;

  KubernetesRollbackAction(ClusterConnection connection, ObjectMapper json, Clock clock) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.json = Objects.requireNonNull(json, "json");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public ActionSpec spec() {
    return spec;
  }

  /** Pins {from_revision, to_revision, to_replicaset, images}: the rollback as it stands now. */
  @Override
  public Map<String, Object> pin(Target target, Map<String, Object> params) throws PinException, InterruptedException {
    Prepared prepared = prepare(params);
    if (prepared.failure().isPresent()) {
      throw new PinException(prepared.failure().get());
    }
    Workload workload = prepared.workload();
    KubeApi api = prepared.api();
    Call call = Call.read(workload);
    try {
      JsonNode deployment = api.get(workload.path());
      long from = RolloutHistory.revision(deployment);
      if (from == 0) {
        throw new PinException(workload + " has no revision yet (no " + RolloutHistory.REVISION
            + " annotation), so there is nothing to roll back");
      }
      if (deployment.path("spec").path("paused").asBoolean(false)) {
        throw new PinException(workload + " is paused; resume it before rolling it back");
      }
      call = Call.listReplicaSets(workload);
      RolloutHistory history = history(api, workload, deployment);
      Revision to = history.before(from).orElseThrow(() -> new PinException(workload + " has no revision before "
          + from + " to roll back to (it keeps " + history.size() + " replicaset(s); see revisionHistoryLimit)"));
      Map<String, Object> pin = new LinkedHashMap<>();
      pin.put("from_revision", from);
      pin.put("to_revision", to.number());
      pin.put("to_replicaset", to.replicaSet());
      pin.put("images", to.images());
      return pin;
    } catch (KubeException e) {
      throw new PinException(call.reason(e, connection.targetName()), e);
    }
  }

  @Override
  public ActionResult execute(ActionRequest request) throws InterruptedException {
    Optional<Pin> pin = Pin.of(request.params().get(Pinning.PARAM));
    if (pin.isEmpty()) {
      return new ActionResult.Permanent("rollback on kubernetes acts only from the revisions pinned when it was"
          + " decided (pinned: from_revision, to_revision, to_replicaset), and this remediation has none", null);
    }
    Prepared prepared = prepare(request.params());
    if (prepared.failure().isPresent()) {
      return new ActionResult.Permanent(prepared.failure().get(), null);
    }
    Workload workload = prepared.workload();
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("from_revision", pin.get().from());
    facts.put("to_revision", pin.get().to());
    facts.put("to_replicaset", pin.get().replicaSet());
    for (int attempt = 1; ; attempt++) {
      Call call = Call.read(workload);
      try {
        JsonNode deployment = prepared.api().get(workload.path());
        Optional<String> refusal = refusal(workload, deployment, pin.get(), facts);
        if (refusal.isPresent()) {
          return new ActionResult.Permanent(refusal.get(), null, facts);
        }
        call = Call.listReplicaSets(workload);
        Optional<Revision> to = history(prepared.api(), workload, deployment).byReplicaSet(pin.get().replicaSet())
            .filter(revision -> revision.number() == pin.get().to());
        if (to.isEmpty()) {
          return new ActionResult.Permanent("replicaset " + pin.get().replicaSet() + " no longer holds revision "
              + pin.get().to() + " of " + workload + ", so it is not rolled back", null, facts);
        }
        facts.put("images_before", PodTemplates.workloadImages(deployment));
        facts.put("images_after", to.get().images());
        facts.put("generation_before", deployment.path("metadata").path("generation").asLong());
        call = Call.patch(workload);
        JsonNode after = prepared.api().patch(workload.path(), KubeApi.JSON_PATCH, patch(deployment, to.get()));
        facts.put("generation_after", after.path("metadata").path("generation").asLong());
        return new ActionResult.Succeeded("rolled back " + workload + " from revision " + pin.get().from()
            + " to revision " + pin.get().to() + " (replicaset " + pin.get().replicaSet() + ")", facts);
      } catch (KubeException e) {
        boolean changedMeanwhile = e.reason() == Reason.CONFLICT || e.reason() == Reason.INVALID;
        if (attempt == 1 && call.verb().equals("patch") && changedMeanwhile) {
          continue;
        }
        return call.result(e, connection.targetName(), facts);
      }
    }
  }

  private Optional<String> refusal(Workload workload, JsonNode deployment, Pin pin, Map<String, Object> facts) {
    long now = RolloutHistory.revision(deployment);
    if (now != pin.from()) {
      facts.put("revision_now", now);
      return Optional.of(workload + " is on revision " + now + ", not on revision " + pin.from()
          + " that this rollback was decided from: someone rolled back or deployed since, so it is not rolled back again");
    }
    if (deployment.path("spec").path("paused").asBoolean(false)) {
      return Optional.of(workload + " is paused; resume it before rolling it back");
    }
    return Optional.empty();
  }

  private RolloutHistory history(KubeApi api, Workload workload, JsonNode deployment)
      throws KubeException, InterruptedException {
    String selector = RolloutHistory.labelSelector(deployment.path("spec").path("selector"));
    return RolloutHistory.of(deployment, api.list(workload.collectionPath("replicasets"), selector));
  }

  /** Tests that the revision is still the one read, then puts the old template and annotations back. */
  private ArrayNode patch(JsonNode deployment, Revision to) {
    ArrayNode operations = json.createArrayNode();
    operations.addObject().put("op", "test")
        .put("path", "/metadata/annotations/" + RolloutHistory.REVISION.replace("~", "~0").replace("/", "~1"))
        .put("value", deployment.path("metadata").path("annotations").path(RolloutHistory.REVISION).asText());
    operations.addObject().put("op", "replace").put("path", "/spec/template")
        .set("value", RolloutHistory.templateToRestore(to));
    operations.addObject().put("op", "replace").put("path", "/metadata/annotations")
        .set("value", RolloutHistory.annotationsToRestore(deployment, to));
    return operations;
  }

  private Prepared prepare(Map<String, Object> params) {
    return Prepared.of(params, KubernetesRollbackSpec::problems, KubernetesRollbackSpec.KINDS, connection, json, clock);
  }

  @Override
  public void close() {
    connection.close();
  }

  /** The revisions pinned at decision time, read back from the remediation's parameters. */
  record Pin(long from, long to, String replicaSet) {
    static Optional<Pin> of(Object pinned) {
      if (pinned instanceof Map<?, ?> map && map.get("from_revision") instanceof Number from
          && map.get("to_revision") instanceof Number to && map.get("to_replicaset") instanceof String replicaSet) {
        return Optional.of(new Pin(from.longValue(), to.longValue(), replicaSet));
      }
      return Optional.empty();
    }
  }
}
