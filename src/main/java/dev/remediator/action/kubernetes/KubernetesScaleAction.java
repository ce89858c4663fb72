package dev.remediator.action.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.remediator.action.Action;
import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.action.Pinning;
import dev.remediator.action.kubernetes.KubeException.Reason;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Scales a Deployment or StatefulSet by one step through its scale subresource. The step is
 * worked out and pinned when the remediation is decided ({from_replicas, to_replicas}), so that
 * running it again (a retry after an answer that never came) sets the same count instead of
 * stepping twice: at run time it scales only from the pinned count, reports success if the count
 * is already the pinned target, and refuses if someone or an autoscaler has moved it. The PUT
 * carries the resourceVersion read just before; a conflict is read again and tried once more.
 */
public final class KubernetesScaleAction implements Action, Pinning, AutoCloseable {
  private final KubernetesScaleSpec spec = new KubernetesScaleSpec();
  private final ClusterConnection connection;
  private final ObjectMapper json;
  private final Clock clock;

  KubernetesScaleAction(ClusterConnection connection, ObjectMapper json, Clock clock) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.json = Objects.requireNonNull(json, "json");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public ActionSpec spec() {
    return spec;
  }

  /** Pins {from_replicas, to_replicas}: the current count and one step from it, within the bounds. */
  @Override
  public Map<String, Object> pin(Target target, Map<String, Object> params) throws PinException, InterruptedException {
    Prepared prepared = prepare(params);
    if (prepared.failure().isPresent()) {
      throw new PinException(prepared.failure().get());
    }
    Workload workload = prepared.workload();
    ScaleStep step = KubernetesScaleSpec.step(prepared.params());
    int current;
    try {
      current = replicas(prepared.api().get(scalePath(workload)));
    } catch (KubeException e) {
      throw new PinException(Call.readScale(workload).reason(e, connection.targetName()), e);
    }
    int next = step.next(current);
    if (next == current) {
      throw new PinException(workload + " has " + current + " replicas, "
          + (step.up() ? "at or above max_replicas " + step.maxReplicas() + ": nothing to scale up"
              : "at or below min_replicas " + step.minReplicas() + ": nothing to scale down"));
    }
    Map<String, Object> pin = new LinkedHashMap<>();
    pin.put("from_replicas", current);
    pin.put("to_replicas", next);
    return pin;
  }

  @Override
  public ActionResult execute(ActionRequest request) throws InterruptedException {
    Optional<Pin> pin = Pin.of(request.params().get(Pinning.PARAM));
    if (pin.isEmpty()) {
      return new ActionResult.Permanent("scale on kubernetes acts only from the replica count pinned when it was"
          + " decided (pinned: from_replicas, to_replicas), and this remediation has none", null);
    }
    Prepared prepared = prepare(request.params());
    if (prepared.failure().isPresent()) {
      return new ActionResult.Permanent(prepared.failure().get(), null);
    }
    Workload workload = prepared.workload();
    int from = pin.get().from();
    int to = pin.get().to();
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("replicas_before", from);
    facts.put("replicas_after", to);
    facts.put("by", KubernetesScaleSpec.step(prepared.params()).describe());
    for (int attempt = 1; ; attempt++) {
      Call call = Call.readScale(workload);
      try {
        JsonNode scale = prepared.api().get(scalePath(workload));
        int current = replicas(scale);
        if (current == to) {
          return new ActionResult.Succeeded(workload + " already has " + to
              + " replicas: an earlier attempt of this scale got through", facts);
        }
        if (current != from) {
          facts.remove("replicas_after");
          facts.put("replicas_now", current);
          return new ActionResult.Permanent(workload + " has " + current + " replicas, not the " + from
              + " this scale was decided from: someone or an autoscaler changed it, so it is not scaled", null, facts);
        }
        call = Call.updateScale(workload);
        prepared.api().put(scalePath(workload), withReplicas(scale, to));
        return new ActionResult.Succeeded("scaled " + workload + " from " + from + " to " + to + " replicas ("
            + facts.get("by") + ")", facts);
      } catch (KubeException e) {
        if (attempt == 1 && call.verb().equals("update") && e.reason() == Reason.CONFLICT) {
          continue;
        }
        facts.remove("replicas_after");
        return call.result(e, connection.targetName(), facts);
      }
    }
  }

  private static String scalePath(Workload workload) {
    return workload.path() + "/scale";
  }

  private static int replicas(JsonNode scale) {
    return scale.path("spec").path("replicas").asInt(0);
  }

  /** The Scale as read (name, namespace, resourceVersion) with {@code replicas} desired, and no status. */
  private ObjectNode withReplicas(JsonNode scale, int replicas) {
    ObjectNode body = json.createObjectNode();
    body.put("apiVersion", scale.path("apiVersion").asText("autoscaling/v1"));
    body.put("kind", "Scale");
    ObjectNode metadata = body.putObject("metadata");
    for (String field : new String[] {"name", "namespace", "resourceVersion", "uid"}) {
      if (scale.path("metadata").path(field).isTextual()) {
        metadata.put(field, scale.path("metadata").path(field).asText());
      }
    }
    body.putObject("spec").put("replicas", replicas);
    return body;
  }

  private Prepared prepare(Map<String, Object> params) {
    return Prepared.of(params, KubernetesScaleSpec::problems, KubernetesScaleSpec.KINDS, connection, json, clock);
  }

  @Override
  public void close() {
    connection.close();
  }

  /** The replica counts pinned at decision time, read back from the remediation's parameters. */
  record Pin(int from, int to) {
    static Optional<Pin> of(Object pinned) {
      if (pinned instanceof Map<?, ?> map && map.get("from_replicas") instanceof Number from
          && map.get("to_replicas") instanceof Number to) {
        return Optional.of(new Pin(from.intValue(), to.intValue()));
      }
      return Optional.empty();
    }
  }
}
