package dev.remediator.action.kubernetes;

import static dev.remediator.action.Requests.request;
import static dev.remediator.action.kubernetes.FakeCluster.JSON;
import static dev.remediator.action.kubernetes.FakeCluster.ok;
import static dev.remediator.action.kubernetes.FakeCluster.scale;
import static dev.remediator.action.kubernetes.FakeCluster.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.remediator.action.ActionResult;
import dev.remediator.action.Pinning.PinException;
import dev.remediator.action.Pinning;
import dev.remediator.resilience.RetryPolicy;
import dev.remediator.target.Target;
import dev.remediator.testing.MutableClock;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesScaleActionTest {
  private static final String SCALE = "/apis/apps/v1/namespaces/prod/deployments/worker/scale";
  private static final Map<String, Object> DOUBLE_UP_TO_10 = Map.of("deployment", "worker", "factor", 2,
      "max_replicas", 10);

  @TempDir
  Path dir;

  private final MutableClock clock = MutableClock.at("2020-01-01T12:00:00Z");
  private FakeCluster cluster;
  private Target target;
  private KubernetesScaleAction action;

  @BeforeEach
  void start() throws Exception {
    cluster = new FakeCluster(dir);
    target = cluster.kubeconfigTarget();
    action = new KubernetesScaleAction(cluster.connect(target), JSON, clock);
  }

  @AfterEach
  void stop() throws Exception {
    action.close();
    cluster.close();
  }

  private static Map<String, Object> pinned(Map<String, Object> params, int from, int to) throws Exception {
    Map<String, Object> all = new LinkedHashMap<>(params);
    all.put(Pinning.PARAM, Map.of("from_replicas", from, "to_replicas", to));
    return JSON.readValue(JSON.writeValueAsString(all), new TypeReference<Map<String, Object>>() {});
  }

  @Test
  void pinReadsTheScaleSubresourceAndWorksOutOneStep() throws Exception {
    cluster.server.enqueue(ok(scale("worker", 3, "501")));

    Map<String, Object> pin = action.pin(target, DOUBLE_UP_TO_10);

    assertThat(pin).containsExactly(Map.entry("from_replicas", 3), Map.entry("to_replicas", 6));
    RecordedRequest read = cluster.server.takeRequest();
    assertThat(read.getMethod()).isEqualTo("GET");
    assertThat(read.getPath()).isEqualTo(SCALE);
  }

  @Test
  void pinHoldsTheStepWithinMaxReplicas() throws Exception {
    cluster.server.enqueue(ok(scale("worker", 7, "501")));

    assertThat(action.pin(target, DOUBLE_UP_TO_10)).containsEntry("to_replicas", 10);
  }

  @Test
  void atMaxReplicasThereIsNothingToPin() throws Exception {
    cluster.server.enqueue(ok(scale("worker", 10, "501")));

    PinException failure = catchThrowableOfType(() -> action.pin(target, DOUBLE_UP_TO_10), PinException.class);

    assertThat(failure).hasMessage("deployment prod/worker has 10 replicas, at or above max_replicas 10: nothing"
        + " to scale up");
  }

  @Test
  void scalePutsThePinnedCountWithTheResourceVersionRead() throws Exception {
    cluster.server.enqueue(ok(scale("worker", 3, "501")));
    cluster.server.enqueue(ok(scale("worker", 6, "502")));

    ActionResult result = action.execute(request(target, pinned(DOUBLE_UP_TO_10, 3, 6)));

    assertThat(result).isEqualTo(new ActionResult.Succeeded("scaled deployment prod/worker from 3 to 6 replicas"
        + " (factor 2)", Map.of("replicas_before", 3, "replicas_after", 6, "by", "factor 2")));
    cluster.server.takeRequest();
    RecordedRequest put = cluster.server.takeRequest();
    assertThat(put.getMethod()).isEqualTo("PUT");
    assertThat(put.getPath()).isEqualTo(SCALE);
    assertThat(put.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(put.getHeader("Authorization")).isEqualTo("Bearer " + FakeCluster.TOKEN);
    assertThat(JSON.readTree(put.getBody().readUtf8())).isEqualTo(JSON.readTree("""
        {"apiVersion": "autoscaling/v1", "kind": "Scale",
         "metadata": {"name": "worker", "namespace": "prod", "resourceVersion": "501", "uid": "uid-worker"},
         "spec": {"replicas": 6}}
        """));
  }

  @Test
  void statefulsetIsScaledThroughItsOwnScaleSubresource() throws Exception {
    Map<String, Object> params = Map.of("statefulset", "redis", "namespace", "prod", "step", -1, "min_replicas", 1);
    cluster.server.enqueue(ok(scale("redis", 3, "77")));
    cluster.server.enqueue(ok(scale("redis", 2, "78")));

    ActionResult result = action.execute(request(target, pinned(params, 3, 2)));

    assertThat(result.message()).isEqualTo("scaled statefulset prod/redis from 3 to 2 replicas (step -1)");
    assertThat(cluster.server.takeRequest().getPath()).isEqualTo("/apis/apps/v1/namespaces/prod/statefulsets/redis/scale");
    assertThat(cluster.server.takeRequest().getPath()).isEqualTo("/apis/apps/v1/namespaces/prod/statefulsets/redis/scale");
  }

  @Test
  void countAlreadyAtThePinnedTargetIsASuccessWithoutAnotherStep() throws Exception {
    cluster.server.enqueue(ok(scale("worker", 6, "502")));

    ActionResult result = action.execute(request(target, pinned(DOUBLE_UP_TO_10, 3, 6)));

    assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
    assertThat(result.message())
        .isEqualTo("deployment prod/worker already has 6 replicas: an earlier attempt of this scale got through");
    assertThat(cluster.server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void countMovedBySomeoneElseIsNotScaled() throws Exception {
    cluster.server.enqueue(ok(scale("worker", 5, "503")));

    ActionResult result = action.execute(request(target, pinned(DOUBLE_UP_TO_10, 3, 6)));

    assertThat(result).isEqualTo(new ActionResult.Permanent("deployment prod/worker has 5 replicas, not the 3 this"
        + " scale was decided from: someone or an autoscaler changed it, so it is not scaled", null,
        Map.of("replicas_before", 3, "by", "factor 2", "replicas_now", 5)));
  }

  @Test
  void serverErrorOnThePutIsIdempotentYetTheRetryPolicyNeverRepeatsAScale() throws Exception {
    cluster.server.enqueue(ok(scale("worker", 3, "501")));
    cluster.server.enqueue(status(504, "Timeout", "the server was unable to return a response in the time allotted"));

    ActionResult result = action.execute(request(target, pinned(DOUBLE_UP_TO_10, 3, 6)));

    assertThat(result).isInstanceOfSatisfying(ActionResult.Retryable.class, retryable -> {
      assertThat(retryable.reached()).isEqualTo(ActionResult.Reached.IDEMPOTENT_REQUEST);
      assertThat(RetryPolicy.safe("scale", retryable.reached())).isFalse();
    });
    assertThat(result.message()).isEqualTo("could not update the scale of deployment prod/worker: HTTP 504: the"
        + " server was unable to return a response in the time allotted");
  }

  @Test
  void conflictOnThePutIsReadAgainAndTriedOnceMore() throws Exception {
    cluster.server.enqueue(ok(scale("worker", 3, "501")));
    cluster.server.enqueue(status(409, "Conflict", "the object has been modified"));
    cluster.server.enqueue(ok(scale("worker", 3, "504")));
    cluster.server.enqueue(ok(scale("worker", 6, "505")));

    ActionResult result = action.execute(request(target, pinned(DOUBLE_UP_TO_10, 3, 6)));

    assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
    cluster.server.takeRequest();
    cluster.server.takeRequest();
    cluster.server.takeRequest();
    assertThat(JSON.readTree(cluster.server.takeRequest().getBody().readUtf8()).path("metadata")
        .path("resourceVersion").asText()).isEqualTo("504");
  }

  @Test
  void forbiddenUpdateIsPermanentAndNamesTheVerbAndSubresource() throws Exception {
    cluster.server.enqueue(ok(scale("worker", 3, "501")));
    cluster.server.enqueue(status(403, "Forbidden", "deployments.apps \"worker\" is forbidden: cannot update"
        + " resource \"deployments/scale\""));

    ActionResult result = action.execute(request(target, pinned(DOUBLE_UP_TO_10, 3, 6)));

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).isEqualTo("forbidden to update deployments/scale in namespace prod: HTTP 403:"
        + " deployments.apps \"worker\" is forbidden: cannot update resource \"deployments/scale\"");
  }

  @Test
  void unknownDeploymentIsPermanent() throws Exception {
    cluster.server.enqueue(status(404, "NotFound", "deployments.apps \"worker\" not found"));

    ActionResult result = action.execute(request(target, pinned(DOUBLE_UP_TO_10, 3, 6)));

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).isEqualTo("deployment prod/worker not found");
  }

  @Test
  void templatedNamespaceThatIsNoKubernetesNameIsRefusedBeforeAnyRequest() throws Exception {
    Map<String, Object> params = Map.of("namespace", "Prod_EU", "deployment", "worker", "step", 1, "max_replicas", 4);

    ActionResult result = action.execute(request(target, pinned(params, 1, 2)));

    assertThat(result.message()).isEqualTo("invalid parameters: namespace must be a namespace name (DNS-1123 label:"
        + " at most 63 lowercase letters, digits or \"-\", starting and ending with a letter or digit), but was"
        + " \"Prod_EU\"");
    assertThat(cluster.server.getRequestCount()).isZero();
  }

  @Test
  void withoutAPinNothingIsScaled() throws Exception {
    ActionResult result = action.execute(request(target, DOUBLE_UP_TO_10));

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(cluster.server.getRequestCount()).isZero();
  }
}
