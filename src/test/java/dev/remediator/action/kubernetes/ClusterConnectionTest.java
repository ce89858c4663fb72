package dev.remediator.action.kubernetes;

import static dev.remediator.action.kubernetes.FakeCluster.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.remediator.action.kubernetes.KubeException.Reason;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConnectionTest {
  @TempDir
  Path dir;

  private FakeCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new FakeCluster(dir);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private static KubeApi api(ClusterConnection connection) {
    return new KubeApi(connection, JSON, Deadline.after(Clock.systemUTC(), Duration.ofSeconds(5)));
  }

  @Test
  void kubeconfigTargetSendsItsContextsTokenAndTakesItsNamespace() throws Exception {
    cluster.server.enqueue(FakeCluster.ok(FakeCluster.deployment(3, 2, 3, "api:1")));

    try (ClusterConnection connection = cluster.connect()) {
      assertThat(connection.problem()).isEmpty();
      assertThat(connection.defaultNamespace()).contains("prod");
      api(connection).get("/apis/apps/v1/namespaces/prod/deployments/api");
    }

    RecordedRequest request = cluster.server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getPath()).isEqualTo("/apis/apps/v1/namespaces/prod/deployments/api");
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + FakeCluster.TOKEN);
  }

  @Test
  void contextSettingChoosesAnotherContextOfTheKubeconfig() throws Exception {
    try (ClusterConnection connection = cluster.connect(cluster.kubeconfigTarget("context", "other"))) {
      assertThat(connection.problem()).isEmpty();
      assertThat(connection.apiBase()).isEqualTo("http://127.0.0.1:9");
      assertThat(connection.defaultNamespace()).isEmpty();
    }
  }

  @Test
  void contextMissingFromTheKubeconfigIsAProblemRatherThanTheCurrentContext() throws Exception {
    Target target = cluster.kubeconfigTarget("context", "staging");

    try (ClusterConnection connection = cluster.connect(target)) {
      assertThat(connection.problem())
          .contains("context \"staging\" is not in kubeconfig " + target.setting("kubeconfig"));
    }
  }

  @Test
  void targetNamespaceTakesPrecedenceOverTheContexts() throws Exception {
    try (ClusterConnection connection = cluster.connect(cluster.kubeconfigTarget("namespace", "staging"))) {
      assertThat(connection.defaultNamespace()).contains("staging");
    }
  }

  @Test
  void apiUrlWithTokenFileReadsTheTokenAgainOnEveryRequest() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "first-token\n");
    Target target = new Target("cluster", TargetKind.KUBERNETES,
        Map.of("api_url", cluster.server.url("/").toString(), "token_file", token.toString(), "namespace", "prod"));
    cluster.server.enqueue(FakeCluster.ok(FakeCluster.deployment(3, 2, 3, "api:1")));
    cluster.server.enqueue(FakeCluster.ok(FakeCluster.deployment(3, 2, 3, "api:1")));

    try (ClusterConnection connection = cluster.connect(target)) {
      assertThat(connection.defaultNamespace()).contains("prod");
      api(connection).get("/apis/apps/v1/namespaces/prod/deployments/api");
      Files.writeString(token, "rotated-token\n");
      api(connection).get("/apis/apps/v1/namespaces/prod/deployments/api");
    }

    assertThat(cluster.server.takeRequest().getHeader("Authorization")).isEqualTo("Bearer first-token");
    assertThat(cluster.server.takeRequest().getHeader("Authorization")).isEqualTo("Bearer rotated-token");
  }

  @Test
  void unreadableTokenFileFailsTheCallWithoutSendingIt() throws Exception {
    Path missing = dir.resolve("absent-token");
    Target target = new Target("cluster", TargetKind.KUBERNETES,
        Map.of("api_url", cluster.server.url("/").toString(), "token_file", missing.toString()));

    try (ClusterConnection connection = cluster.connect(target)) {
      KubeException failure = catchThrowableOfType(
          () -> api(connection).get("/apis/apps/v1/namespaces/prod/deployments/api"), KubeException.class);
      assertThat(failure.reason()).isEqualTo(Reason.CREDENTIALS);
      assertThat(failure).hasMessage("cannot read token_file " + missing + ": no such file");
    }
    assertThat(cluster.server.getRequestCount()).isZero();
  }

  @Test
  void apiUrlTogetherWithKubeconfigIsAProblem() throws Exception {
    Target target = cluster.kubeconfigTarget("api_url", "https://10.0.0.1:6443");

    try (ClusterConnection connection = cluster.connect(target)) {
      assertThat(connection.problem())
          .contains("set either api_url (with token_file and ca_file) or kubeconfig (with context), not both");
    }
  }

  @Test
  void tokenFileWithoutApiUrlIsAProblem() throws Exception {
    Target target = new Target("cluster", TargetKind.KUBERNETES, Map.of("token_file", "/run/token"));

    try (ClusterConnection connection = cluster.connect(target)) {
      assertThat(connection.problem()).contains("token_file and ca_file go with api_url, which is not set");
    }
  }

  @Test
  void unreadableKubeconfigIsAProblem() {
    Path missing = dir.resolve("no-kubeconfig");
    Target target = new Target("cluster", TargetKind.KUBERNETES, Map.of("kubeconfig", missing.toString()));

    try (ClusterConnection connection = cluster.connect(target)) {
      assertThat(connection.problem()).contains("cannot read kubeconfig " + missing);
    }
  }

  @Test
  void withoutSettingsTheKubeconfigNamedByTheEnvironmentIsUsed() throws Exception {
    Path kubeconfig = cluster.kubeconfig();
    cluster.server.enqueue(FakeCluster.ok(FakeCluster.deployment(3, 2, 3, "api:1")));
    String previous = System.setProperty("kubeconfig", kubeconfig.toString());
    try (ClusterConnection connection = cluster.connect(new Target("cluster", TargetKind.KUBERNETES, Map.of()))) {
      assertThat(connection.problem()).isEmpty();
      assertThat(connection.defaultNamespace()).contains("prod");
      api(connection).get("/apis/apps/v1/namespaces/prod/deployments/api");
    } finally {
      if (previous == null) {
        System.clearProperty("kubeconfig");
      } else {
        System.setProperty("kubeconfig", previous);
      }
    }

    assertThat(cluster.server.takeRequest().getHeader("Authorization")).isEqualTo("Bearer " + FakeCluster.TOKEN);
  }

  @Test
  void errorsNeverCarryTheToken() throws Exception {
    cluster.server.enqueue(FakeCluster.status(403, "Forbidden", "token " + FakeCluster.TOKEN + " may not get this"));

    try (ClusterConnection connection = cluster.connect()) {
      KubeException failure = catchThrowableOfType(
          () -> api(connection).get("/apis/apps/v1/namespaces/prod/deployments/api"), KubeException.class);
      assertThat(failure.reason()).isEqualTo(Reason.FORBIDDEN);
      assertThat(failure).hasMessage("HTTP 403: token *** may not get this");
    }
  }
}
