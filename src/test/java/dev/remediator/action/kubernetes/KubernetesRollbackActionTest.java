package dev.remediator.action.kubernetes;

import static dev.remediator.action.Requests.request;
import static dev.remediator.action.kubernetes.FakeCluster.JSON;
import static dev.remediator.action.kubernetes.FakeCluster.deployment;
import static dev.remediator.action.kubernetes.FakeCluster.list;
import static dev.remediator.action.kubernetes.FakeCluster.ok;
import static dev.remediator.action.kubernetes.FakeCluster.replicaSet;
import static dev.remediator.action.kubernetes.FakeCluster.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.remediator.action.ActionResult;
import dev.remediator.action.Pinning;
import dev.remediator.action.Pinning.PinException;
import dev.remediator.target.Target;
import dev.remediator.testing.MutableClock;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesRollbackActionTest {
  private static final String PATH = "/apis/apps/v1/namespaces/prod/deployments/api";
  private static final String REPLICA_SETS = "/apis/apps/v1/namespaces/prod/replicasets?labelSelector=app%3Dapi";
  private static final Map<String, Object> PARAMS = Map.of("deployment", "api");

  @TempDir
  Path dir;

  private final MutableClock clock = MutableClock.at("2020-01-01T12:00:00Z");
  private FakeCluster cluster;
  private Target target;
  private KubernetesRollbackAction action;

  @BeforeEach
  void start() throws Exception {
    cluster = new FakeCluster(dir);
    target = cluster.kubeconfigTarget();
    action = new KubernetesRollbackAction(cluster.connect(target), JSON, clock);
  }

  @AfterEach
  void stop() throws Exception {
    action.close();
    cluster.close();
  }

  /** Revisions 5, 6 and 7 of prod/api, and a ReplicaSet of another Deployment at revision 9. */
  private static ObjectNode history() {
    return list(List.of(
        replicaSet("api-5d4c3b2a1", 5, "registry/api:1.3.0", "uid-api"),
        replicaSet("api-7f6e5d4c3", 7, "registry/api:1.5.0", "uid-api"),
        replicaSet("api-6e5d4c3b2", 6, "registry/api:1.4.2", "uid-api"),
        replicaSet("api-canary-9a8b7c6d5", 9, "registry/api:2.0.0-rc1", "uid-api-canary")));
  }

  private static Map<String, Object> pinned(Map<String, Object> pin) throws Exception {
    Map<String, Object> params = new LinkedHashMap<>(PARAMS);
    params.put(Pinning.PARAM, pin);
    // As stored with the remediation and read back for execution.
    return JSON.readValue(JSON.writeValueAsString(params), new TypeReference<Map<String, Object>>() {});
  }

  @Test
  void pinRecordsTheRevisionBeforeTheLatestRollout() throws Exception {
    cluster.server.enqueue(ok(deployment(12, 7, 3, "registry/api:1.5.0")));
    cluster.server.enqueue(ok(history()));

    Map<String, Object> pin = action.pin(target, PARAMS);

    assertThat(pin).containsExactly(Map.entry("from_revision", 7L), Map.entry("to_revision", 6L),
        Map.entry("to_replicaset", "api-6e5d4c3b2"), Map.entry("images", List.of("registry/api:1.4.2")));
    assertThat(cluster.server.takeRequest().getPath()).isEqualTo(PATH);
    RecordedRequest list = cluster.server.takeRequest();
    assertThat(list.getMethod()).isEqualTo("GET");
    assertThat(list.getPath()).isEqualTo(REPLICA_SETS);
  }

  @Test
  void withoutAnEarlierRevisionThereIsNothingToPin() throws Exception {
    cluster.server.enqueue(ok(deployment(1, 1, 3, "registry/api:1.5.0")));
    cluster.server.enqueue(ok(list(List.of(replicaSet("api-7f6e5d4c3", 1, "registry/api:1.5.0", "uid-api")))));

    PinException failure = catchThrowableOfType(() -> action.pin(target, PARAMS), PinException.class);

    assertThat(failure).hasMessage("deployment prod/api has no revision before 1 to roll back to"
        + " (it keeps 1 replicaset(s); see revisionHistoryLimit)");
  }

  @Test
  void pausedDeploymentIsNotPinned() throws Exception {
    ObjectNode paused = deployment(12, 7, 3, "registry/api:1.5.0");
    ((ObjectNode) paused.path("spec")).put("paused", true);
    cluster.server.enqueue(ok(paused));

    PinException failure = catchThrowableOfType(() -> action.pin(target, PARAMS), PinException.class);

    assertThat(failure).hasMessage("deployment prod/api is paused; resume it before rolling it back");
  }

  @Test
  void unknownDeploymentCannotBePinned() throws Exception {
    cluster.server.enqueue(status(404, "NotFound", "deployments.apps \"api\" not found"));

    PinException failure = catchThrowableOfType(() -> action.pin(target, PARAMS), PinException.class);

    assertThat(failure).hasMessage("deployment prod/api not found");
  }

  @Test
  void rollbackPutsThePinnedReplicaSetsTemplateBackInOneTestedJsonPatch() throws Exception {
    cluster.server.enqueue(ok(deployment(12, 7, 3, "registry/api:1.5.0")));
    cluster.server.enqueue(ok(history()));
    Map<String, Object> params = pinned(action.pin(target, PARAMS));
    cluster.server.takeRequest();
    cluster.server.takeRequest();
    cluster.server.enqueue(ok(deployment(12, 7, 3, "registry/api:1.5.0")));
    cluster.server.enqueue(ok(history()));
    cluster.server.enqueue(ok(deployment(13, 7, 3, "registry/api:1.4.2")));

    ActionResult result = action.execute(request(target, params));

    assertThat(result).isEqualTo(new ActionResult.Succeeded(
        "rolled back deployment prod/api from revision 7 to revision 6 (replicaset api-6e5d4c3b2)", Map.of(
            "from_revision", 7L, "to_revision", 6L, "to_replicaset", "api-6e5d4c3b2",
            "images_before", List.of("registry/api:1.5.0"), "images_after", List.of("registry/api:1.4.2"),
            "generation_before", 12L, "generation_after", 13L)));
    assertThat(cluster.server.takeRequest().getPath()).isEqualTo(PATH);
    assertThat(cluster.server.takeRequest().getPath()).isEqualTo(REPLICA_SETS);
    RecordedRequest patch = cluster.server.takeRequest();
    assertThat(patch.getMethod()).isEqualTo("PATCH");
    assertThat(patch.getPath()).isEqualTo(PATH);
    assertThat(patch.getHeader("Content-Type")).isEqualTo("application/json-patch+json; charset=utf-8");
    assertThat(patch.getHeader("Authorization")).isEqualTo("Bearer " + FakeCluster.TOKEN);
    assertThat(JSON.readTree(patch.getBody().readUtf8())).isEqualTo(JSON.readTree("""
        [
          {"op": "test", "path": "/metadata/annotations/deployment.kubernetes.io~1revision", "value": "7"},
          {"op": "replace", "path": "/spec/template", "value": {
            "metadata": {"labels": {"app": "api"}},
            "spec": {"containers": [{"name": "api", "image": "registry/api:1.4.2"}]}}},
          {"op": "replace", "path": "/metadata/annotations", "value": {
            "deployment.kubernetes.io/revision": "7",
            "kubernetes.io/change-cause": "deploy registry/api:1.4.2"}}
        ]
        """));
  }

  @Test
  void deploymentThatMovedOnSinceThePinIsNotRolledBackAgain() throws Exception {
    cluster.server.enqueue(ok(deployment(13, 8, 3, "registry/api:1.4.2")));

    ActionResult result = action.execute(request(target, pinned(Map.of("from_revision", 7, "to_revision", 6,
        "to_replicaset", "api-6e5d4c3b2", "images", List.of("registry/api:1.4.2")))));

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).isEqualTo("deployment prod/api is on revision 8, not on revision 7 that this"
        + " rollback was decided from: someone rolled back or deployed since, so it is not rolled back again");
    assertThat(result.facts()).containsEntry("revision_now", 8L);
    assertThat(cluster.server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void conflictIsReadAgainAndARolloutInBetweenIsRefused() throws Exception {
    cluster.server.enqueue(ok(deployment(12, 7, 3, "registry/api:1.5.0")));
    cluster.server.enqueue(ok(history()));
    cluster.server.enqueue(status(409, "Conflict", "the object has been modified"));
    cluster.server.enqueue(ok(deployment(13, 8, 3, "registry/api:1.6.0")));

    ActionResult result = action.execute(request(target, pinned(Map.of("from_revision", 7, "to_revision", 6,
        "to_replicaset", "api-6e5d4c3b2"))));

    assertThat(result.message()).startsWith("deployment prod/api is on revision 8, not on revision 7");
    assertThat(cluster.server.getRequestCount()).isEqualTo(4);
  }

  @Test
  void failedRevisionTestIsReadAgainAndPatchedOnceMoreWhenTheRevisionHeld() throws Exception {
    cluster.server.enqueue(ok(deployment(12, 7, 3, "registry/api:1.5.0")));
    cluster.server.enqueue(ok(history()));
    cluster.server.enqueue(status(422, "Invalid", "the server rejected our request due to an error in our request"));
    cluster.server.enqueue(ok(deployment(12, 7, 3, "registry/api:1.5.0")));
    cluster.server.enqueue(ok(history()));
    cluster.server.enqueue(ok(deployment(13, 7, 3, "registry/api:1.4.2")));

    ActionResult result = action.execute(request(target, pinned(Map.of("from_revision", 7, "to_revision", 6,
        "to_replicaset", "api-6e5d4c3b2"))));

    assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
    assertThat(cluster.server.getRequestCount()).isEqualTo(6);
  }

  @Test
  void replicaSetThatNoLongerHoldsThePinnedRevisionIsRefused() throws Exception {
    cluster.server.enqueue(ok(deployment(12, 7, 3, "registry/api:1.5.0")));
    cluster.server.enqueue(ok(list(List.of(replicaSet("api-7f6e5d4c3", 7, "registry/api:1.5.0", "uid-api")))));

    ActionResult result = action.execute(request(target, pinned(Map.of("from_revision", 7, "to_revision", 6,
        "to_replicaset", "api-6e5d4c3b2"))));

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).isEqualTo(
        "replicaset api-6e5d4c3b2 no longer holds revision 6 of deployment prod/api, so it is not rolled back");
    assertThat(cluster.server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void serverErrorOnThePatchIsPermanent() throws Exception {
    cluster.server.enqueue(ok(deployment(12, 7, 3, "registry/api:1.5.0")));
    cluster.server.enqueue(ok(history()));
    cluster.server.enqueue(status(503, "ServiceUnavailable", "etcdserver: leader changed"));

    ActionResult result = action.execute(request(target, pinned(Map.of("from_revision", 7, "to_revision", 6,
        "to_replicaset", "api-6e5d4c3b2"))));

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).isEqualTo("could not patch deployment prod/api: HTTP 503: etcdserver: leader"
        + " changed; a change that may have been applied is not repeated");
  }

  @Test
  void withoutAPinNothingIsRolledBack() throws Exception {
    ActionResult result = action.execute(request(target, PARAMS));

    assertThat(result).isEqualTo(new ActionResult.Permanent("rollback on kubernetes acts only from the revisions"
        + " pinned when it was decided (pinned: from_revision, to_revision, to_replicaset), and this remediation"
        + " has none", null));
    assertThat(cluster.server.getRequestCount()).isZero();
  }
}
