package dev.remediator.action.kubernetes;

import static dev.remediator.action.Requests.request;
import static dev.remediator.action.kubernetes.FakeCluster.JSON;
import static dev.remediator.action.kubernetes.FakeCluster.deployment;
import static dev.remediator.action.kubernetes.FakeCluster.ok;
import static dev.remediator.action.kubernetes.FakeCluster.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.remediator.action.ActionResult;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import dev.remediator.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesRestartActionTest {
  private static final String PATH = "/apis/apps/v1/namespaces/prod/deployments/api";

  @TempDir
  Path dir;

  private final MutableClock clock = MutableClock.at("2020-01-01T12:00:00.250Z");
  private final List<Duration> sleeps = new ArrayList<>();
  private FakeCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new FakeCluster(dir);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private ActionResult restart(Target target, Map<String, Object> params) throws Exception {
    Sleeper sleeper = duration -> {
      sleeps.add(duration);
      clock.advance(duration);
    };
    try (KubernetesRestartAction action = new KubernetesRestartAction(cluster.connect(target), JSON, clock, sleeper)) {
      return action.execute(request(target, params));
    }
  }

  private ActionResult restart(Map<String, Object> params) throws Exception {
    return restart(cluster.kubeconfigTarget(), params);
  }

  /** The Deployment as the API server answers a restart patch: the next generation, not yet observed. */
  private static ObjectNode patched() {
    ObjectNode after = deployment(5, 7, 3, "registry/api:1.4.2");
    return FakeCluster.status(after, 4, 3, 3);
  }

  @Test
  void restartPatchesThePodTemplatesRestartedAtAnnotationAsKubectlDoes() throws Exception {
    cluster.server.enqueue(ok(deployment(4, 7, 3, "registry/api:1.4.2")));
    cluster.server.enqueue(ok(patched()));

    ActionResult result = restart(Map.of("deployment", "api"));

    assertThat(result).isEqualTo(new ActionResult.Succeeded(
        "restarted deployment prod/api: generation 4 -> 5, 3 replicas", Map.of(
            "generation_before", 4L, "replicas", 3, "images", List.of("registry/api:1.4.2"),
            "restarted_at", "2020-01-01T12:00:00Z", "generation_after", 5L)));
    assertThat(result.facts().keySet())
        .containsExactly("generation_before", "replicas", "images", "restarted_at", "generation_after");
    RecordedRequest read = cluster.server.takeRequest();
    assertThat(read.getMethod()).isEqualTo("GET");
    assertThat(read.getPath()).isEqualTo(PATH);
    RecordedRequest patch = cluster.server.takeRequest();
    assertThat(patch.getMethod()).isEqualTo("PATCH");
    assertThat(patch.getPath()).isEqualTo(PATH);
    assertThat(patch.getHeader("Content-Type")).isEqualTo("application/strategic-merge-patch+json; charset=utf-8");
    assertThat(patch.getHeader("Authorization")).isEqualTo("Bearer " + FakeCluster.TOKEN);
    assertThat(JSON.readTree(patch.getBody().readUtf8())).isEqualTo(JSON.readTree("""
        {"spec": {"template": {"metadata": {"annotations":
          {"kubectl.kubernetes.io/restartedAt": "2020-01-01T12:00:00Z"}}}}}
        """));
    assertThat(cluster.server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void statefulsetOnAnApiUrlTargetIsPatchedAtItsOwnPathWithTheTokenFromTheFile() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "service-account-token\n");
    Target target = new Target("cluster", TargetKind.KUBERNETES,
        Map.of("api_url", cluster.server.url("/").toString(), "token_file", token.toString()));
    ObjectNode redis = deployment(2, 1, 1, "redis:7");
    cluster.server.enqueue(ok(redis));
    cluster.server.enqueue(ok(deployment(3, 1, 1, "redis:7")));

    ActionResult result = restart(target, Map.of("namespace", "staging", "statefulset", "redis"));

    assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
    assertThat(result.message()).isEqualTo("restarted statefulset staging/redis: generation 2 -> 3, 1 replicas");
    assertThat(cluster.server.takeRequest().getPath()).isEqualTo("/apis/apps/v1/namespaces/staging/statefulsets/redis");
    RecordedRequest patch = cluster.server.takeRequest();
    assertThat(patch.getPath()).isEqualTo("/apis/apps/v1/namespaces/staging/statefulsets/redis");
    assertThat(patch.getHeader("Authorization")).isEqualTo("Bearer service-account-token");
  }

  @Test
  void unknownDeploymentIsPermanentAndNamedInFull() throws Exception {
    cluster.server.enqueue(status(404, "NotFound", "deployments.apps \"api\" not found"));

    ActionResult result = restart(Map.of("deployment", "api"));

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).isEqualTo("deployment prod/api not found");
    assertThat(cluster.server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void conflictIsReadAgainAndPatchedOnceMore() throws Exception {
    cluster.server.enqueue(ok(deployment(4, 7, 3, "registry/api:1.4.2")));
    cluster.server.enqueue(status(409, "Conflict", "the object has been modified"));
    cluster.server.enqueue(ok(deployment(4, 7, 3, "registry/api:1.4.2")));
    cluster.server.enqueue(ok(patched()));

    ActionResult result = restart(Map.of("deployment", "api"));

    assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
    assertThat(List.of(method(), method(), method(), method())).containsExactly("GET", "PATCH", "GET", "PATCH");
  }

  @Test
  void secondConflictIsPermanent() throws Exception {
    cluster.server.enqueue(ok(deployment(4, 7, 3, "registry/api:1.4.2")));
    cluster.server.enqueue(status(409, "Conflict", "the object has been modified"));
    cluster.server.enqueue(ok(deployment(4, 7, 3, "registry/api:1.4.2")));
    cluster.server.enqueue(status(409, "Conflict", "the object has been modified"));

    ActionResult result = restart(Map.of("deployment", "api"));

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).isEqualTo(
        "could not patch deployment prod/api: it changed during the call, twice: HTTP 409: the object has been modified");
    assertThat(cluster.server.getRequestCount()).isEqualTo(4);
  }

  @Test
  void forbiddenPatchIsPermanentAndNamesTheVerbAndResource() throws Exception {
    cluster.server.enqueue(ok(deployment(4, 7, 3, "registry/api:1.4.2")));
    cluster.server.enqueue(status(403, "Forbidden", "deployments.apps \"api\" is forbidden: User"
        + " \"system:serviceaccount:ops:remediator\" cannot patch resource \"deployments\" in API group \"apps\""
        + " in the namespace \"prod\""));

    ActionResult result = restart(Map.of("deployment", "api"));

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).isEqualTo("forbidden to patch deployments in namespace prod: HTTP 403:"
        + " deployments.apps \"api\" is forbidden: User \"system:serviceaccount:ops:remediator\" cannot patch"
        + " resource \"deployments\" in API group \"apps\" in the namespace \"prod\"");
    assertThat(result.facts()).containsEntry("generation_before", 4L);
  }

  @Test
  void serverErrorOnTheFirstReadIsRetryable() throws Exception {
    cluster.server.enqueue(status(503, "ServiceUnavailable", "etcdserver: leader changed"));

    ActionResult result = restart(Map.of("deployment", "api"));

    assertThat(result).isInstanceOf(ActionResult.Retryable.class);
    assertThat(result.message()).isEqualTo("could not get deployment prod/api: HTTP 503: etcdserver: leader changed");
    assertThat(cluster.server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void serverErrorOnThePatchIsPermanentBecauseItMayHaveBeenApplied() throws Exception {
    cluster.server.enqueue(ok(deployment(4, 7, 3, "registry/api:1.4.2")));
    cluster.server.enqueue(status(500, "InternalError", "etcdserver: request timed out"));

    ActionResult result = restart(Map.of("deployment", "api"));

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).isEqualTo("could not patch deployment prod/api: HTTP 500: etcdserver: request"
        + " timed out; a change that may have been applied is not repeated");
    assertThat(cluster.server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void refusedConnectionIsRetryableWhenNothingWasChanged() throws Exception {
    Target target = cluster.kubeconfigTarget();
    String apiServer = cluster.server.url("/").toString().replaceAll("/$", "");
    cluster.server.shutdown();

    ActionResult result = restart(target, Map.of("deployment", "api"));

    assertThat(result).isInstanceOf(ActionResult.Retryable.class);
    assertThat(result.message()).startsWith("could not get deployment prod/api: cannot reach the API server at "
        + apiServer + ": ");
  }

  @Test
  void nameFromTheAlertThatIsNoKubernetesNameIsRefusedBeforeAnyRequest() throws Exception {
    ActionResult result = restart(Map.of("deployment", "api/../../secrets"));

    assertThat(result).isEqualTo(new ActionResult.Permanent("invalid parameters: deployment must be an object name"
        + " (DNS-1123 subdomain: at most 253 lowercase letters, digits, \"-\" or \".\", starting and ending with a"
        + " letter or digit), but was \"api/../../secrets\"", null));
    assertThat(cluster.server.getRequestCount()).isZero();
  }

  @Test
  void withoutANamespaceAnywhereTheRestartIsRefused() throws Exception {
    Target target = new Target("cluster", TargetKind.KUBERNETES, Map.of("api_url", cluster.server.url("/").toString()));

    ActionResult result = restart(target, Map.of("deployment", "api"));

    assertThat(result.message()).isEqualTo(
        "target cluster: no namespace: the rule's with has none and the target sets no namespace");
    assertThat(cluster.server.getRequestCount()).isZero();
  }

  @Test
  void unusableTargetIsPermanentWithItsReason() throws Exception {
    Path missing = dir.resolve("missing-kubeconfig");
    Target target = new Target("cluster", TargetKind.KUBERNETES, Map.of("kubeconfig", missing.toString()));

    ActionResult result = restart(target, Map.of("deployment", "api"));

    assertThat(result).isEqualTo(new ActionResult.Permanent("target cluster: cannot read kubeconfig " + missing, null));
  }

  @Test
  void waitFollowsTheRolloutUntilEveryReplicaIsUpdatedAndAvailable() throws Exception {
    cluster.server.enqueue(ok(deployment(4, 7, 3, "registry/api:1.4.2")));
    cluster.server.enqueue(ok(patched()));
    cluster.server.enqueue(ok(FakeCluster.status(deployment(5, 7, 3, "registry/api:1.4.2"), 5, 1, 2)));
    cluster.server.enqueue(ok(FakeCluster.status(deployment(5, 7, 3, "registry/api:1.4.2"), 5, 3, 2)));
    cluster.server.enqueue(ok(FakeCluster.status(deployment(5, 7, 3, "registry/api:1.4.2"), 5, 3, 3)));

    ActionResult result = restart(Map.of("deployment", "api", "wait", "5m", "timeout", "6m"));

    assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
    assertThat(result.message()).isEqualTo("restarted deployment prod/api: generation 4 -> 5, 3 replicas; rolled out");
    assertThat(result.facts()).containsEntry("rolled_out", true).containsEntry("updated_replicas", 3)
        .containsEntry("available_replicas", 3);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThat(cluster.server.getRequestCount()).isEqualTo(5);
  }

  @Test
  void rolloutThatDoesNotFinishWithinWaitIsAFailure() throws Exception {
    cluster.server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return request.getMethod().equals("PATCH") ? ok(patched())
            : ok(FakeCluster.status(deployment(5, 7, 3, "registry/api:1.4.2"), 5, 1, 0));
      }
    });

    ActionResult result = restart(Map.of("deployment", "api", "wait", "9s", "timeout", "1m"));

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).isEqualTo("deployment prod/api was restarted but did not finish rolling out within 9s:"
        + " 1 of 3 replicas updated, 0 available");
    assertThat(result.facts()).containsEntry("rolled_out", false).containsEntry("generation_after", 5L);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2),
        Duration.ofSeconds(2), Duration.ofSeconds(1));
    assertThat(cluster.server.getRequestCount()).isEqualTo(2 + 5);
  }

  private String method() throws InterruptedException {
    return cluster.server.takeRequest().getMethod();
  }
}
