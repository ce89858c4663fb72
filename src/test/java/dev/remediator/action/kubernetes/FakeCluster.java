package dev.remediator.action.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;

/**
 * A MockWebServer playing a cluster's API server, the kubeconfig that points at it (with a
 * bearer token and namespace {@code prod}), and the Deployment, ReplicaSet and Scale objects the
 * server answers with, as the API server writes them.
 */
final class FakeCluster implements AutoCloseable {
  static final String TOKEN = "kubeconfig-token-3f9a";
  static final ObjectMapper JSON = new ObjectMapper();

  final MockWebServer server = new MockWebServer();
  final OkHttpClient shared = new OkHttpClient();
  private final Path dir;

  FakeCluster(Path dir) throws IOException {
    this.dir = dir;
    server.start();
  }

  /** A kubeconfig with context {@code test} (namespace prod, token {@link #TOKEN}) and {@code other}. */
  Path kubeconfig() throws IOException {
    return Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
          - name: test
            cluster:
              server: %s
          - name: elsewhere
            cluster:
              server: http://127.0.0.1:9
        contexts:
          - name: test
            context: {cluster: test, user: remediator, namespace: prod}
          - name: other
            context: {cluster: elsewhere, user: remediator}
        current-context: test
        users:
          - name: remediator
            user:
              token: %s
        """.formatted(server.url("/").toString(), TOKEN));
  }

  /** A target that reaches the server through {@link #kubeconfig()}, with extra settings. */
  Target kubeconfigTarget(String... settings) throws IOException {
    Map<String, String> map = new HashMap<>();
    map.put("kubeconfig", kubeconfig().toString());
    for (int i = 0; i < settings.length; i += 2) {
      map.put(settings[i], settings[i + 1]);
    }
    return new Target("cluster", TargetKind.KUBERNETES, map);
  }

  ClusterConnection connect(Target target) {
    return ClusterConnection.open(target, shared);
  }

  ClusterConnection connect() throws IOException {
    return connect(kubeconfigTarget());
  }

  @Override
  public void close() throws IOException {
    server.shutdown();
  }

  static MockResponse ok(Object body) {
    return json(200, body);
  }

  static MockResponse json(int code, Object body) {
    try {
      return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
          .setBody(JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A Kubernetes Status answer, as the API server sends with an error. */
  static MockResponse status(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
        .put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    return json(code, status);
  }

  /** A Deployment {@code prod/api} at {@code generation} and {@code revision}, fully rolled out. */
  static ObjectNode deployment(long generation, long revision, int replicas, String image) {
    ObjectNode deployment = JSON.createObjectNode().put("apiVersion", "apps/v1").put("kind", "Deployment");
    ObjectNode metadata = deployment.putObject("metadata").put("name", "api").put("namespace", "prod")
        .put("uid", "uid-api").put("resourceVersion", "1000" + generation).put("generation", generation);
    metadata.putObject("annotations").put(RolloutHistory.REVISION, String.valueOf(revision))
        .put("kubernetes.io/change-cause", "deploy " + image);
    ObjectNode spec = deployment.putObject("spec").put("replicas", replicas);
    spec.putObject("selector").putObject("matchLabels").put("app", "api");
    spec.set("template", template(image, null));
    status(deployment, generation, replicas, replicas);
    return deployment;
  }

  /** Sets the status: observed {@code observedGeneration}, {@code updated} and {@code available} replicas. */
  static ObjectNode status(ObjectNode workload, long observedGeneration, int updated, int available) {
    workload.putObject("status").put("observedGeneration", observedGeneration).put("replicas", updated)
        .put("updatedReplicas", updated).put("availableReplicas", available);
    return workload;
  }

  /** A pod template running {@code image}, with the controller's hash label when {@code hash} is set. */
  static ObjectNode template(String image, String hash) {
    ObjectNode template = JSON.createObjectNode();
    ObjectNode labels = template.putObject("metadata").putObject("labels").put("app", "api");
    if (hash != null) {
      labels.put(RolloutHistory.POD_TEMPLATE_HASH, hash);
    }
    ArrayNode containers = template.putObject("spec").putArray("containers");
    containers.addObject().put("name", "api").put("image", image);
    return template;
  }

  /** A ReplicaSet of Deployment prod/api holding {@code revision} of {@code image}. */
  static ObjectNode replicaSet(String name, long revision, String image, String ownerUid) {
    ObjectNode replicaSet = JSON.createObjectNode().put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
    ObjectNode metadata = replicaSet.putObject("metadata").put("name", name).put("namespace", "prod");
    metadata.putObject("annotations").put(RolloutHistory.REVISION, String.valueOf(revision))
        .put("deployment.kubernetes.io/desired-replicas", "3")
        .put("kubernetes.io/change-cause", "deploy " + image);
    metadata.putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "Deployment")
        .put("name", "api").put("uid", ownerUid).put("controller", true);
    String hash = name.substring(name.lastIndexOf('-') + 1);
    replicaSet.putObject("spec").set("template", template(image, hash));
    return replicaSet;
  }

  static ObjectNode list(List<ObjectNode> items) {
    ObjectNode list = JSON.createObjectNode().put("apiVersion", "apps/v1").put("kind", "ReplicaSetList");
    list.putObject("metadata").put("resourceVersion", "2000");
    list.putArray("items").addAll(items);
    return list;
  }

  /** The scale subresource of {@code kind}/{@code name} in prod with {@code replicas}. */
  static ObjectNode scale(String name, int replicas, String resourceVersion) {
    ObjectNode scale = JSON.createObjectNode().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
    scale.putObject("metadata").put("name", name).put("namespace", "prod").put("uid", "uid-" + name)
        .put("resourceVersion", resourceVersion).put("creationTimestamp", "2020-01-01T00:00:00Z");
    scale.putObject("spec").put("replicas", replicas);
    scale.putObject("status").put("replicas", replicas).put("selector", "app=" + name);
    return scale;
  }
}
