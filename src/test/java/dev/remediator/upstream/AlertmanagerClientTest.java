package dev.remediator.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.alert.Alert;
import dev.remediator.alert.Fingerprint;
import dev.remediator.alert.Labels;
import dev.remediator.testing.AlertmanagerProcess;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against the real Alertmanager 0.25, one process for the whole class. */
class AlertmanagerClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OkHttpClient HTTP = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).build();

  private static AlertmanagerProcess alertmanager;
  private static AlertmanagerClient client;

  @BeforeAll
  static void startAlertmanager() {
    alertmanager = AlertmanagerProcess.builder(URI.create("http://127.0.0.1:9/webhook"))
        .groupWait(Duration.ofMinutes(10)).start();
    client = new AlertmanagerClient(HttpUrl.get(alertmanager.url()), HTTP, JSON);
  }

  @AfterAll
  static void stopAlertmanager() {
    alertmanager.close();
  }

  static void post(Map<String, String> labels, Instant startsAt, Instant endsAt) {
    Map<String, Object> alert = new java.util.LinkedHashMap<>();
    alert.put("labels", labels);
    alert.put("startsAt", startsAt.toString());
    if (endsAt != null) {
      alert.put("endsAt", endsAt.toString());
    }
    try {
      alertmanager.postAlerts(JSON.writeValueAsString(List.of(alert)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void firingFindsAnAlertByLabelsThatNeedQuotingButNotAResolvedOne() throws Exception {
    Map<String, String> hostile = Map.of("alertname", "StillFiring", "service", "a\"b\\c\nd&filter=x/../y?",
        "team", "ops");
    Instant startsAt = Instant.now().minus(Duration.ofMinutes(3)).truncatedTo(ChronoUnit.MILLIS);
    post(hostile, startsAt, null);
    Map<String, String> resolved = Map.of("alertname", "StillFiring", "service", "api-2", "team", "ops");
    post(resolved, startsAt, Instant.now().minusSeconds(5));

    List<Alert> found = client.firing(Labels.of(hostile));

    assertThat(found).singleElement().satisfies(alert -> {
      assertThat(alert.labels()).isEqualTo(Labels.of(hostile));
      assertThat(alert.fingerprint()).isEqualTo(Fingerprint.of(Labels.of(hostile)));
      assertThat(alert.startsAt()).isEqualTo(startsAt);
    });
    assertThat(client.firing(Labels.of(resolved))).as("Alertmanager lists no resolved alert").isEmpty();
    assertThat(client.firing(Labels.of("alertname", "StillFiring", "team", "ops"))).extracting(Alert::fingerprint)
        .containsExactly(Fingerprint.of(Labels.of(hostile)));
  }

  @Test
  void groupListsTheFiringAlertsOfTheGroupForThatReceiverOnly() throws Exception {
    Instant startsAt = Instant.now().minus(Duration.ofMinutes(1));
    for (String instance : List.of("a", "b", "c")) {
      post(Map.of("alertname", "BigGroup", "instance", instance), startsAt, null);
    }
    post(Map.of("alertname", "OtherGroup", "instance", "a"), startsAt, null);

    List<Alert> group = client.group(Labels.of("alertname", "BigGroup"), AlertmanagerProcess.RECEIVER);

    assertThat(group).extracting(alert -> alert.labels().get("instance")).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(client.group(Labels.of("alertname", "BigGroup"), "remed.ator"))
        .as("the receiver is matched literally, not as a regular expression").isEmpty();
  }

  @Test
  void silenceMatchesEveryLabelUntilItIsExpired() throws Exception {
    Labels labels = Labels.of("alertname", "Silenced", "service", "api \"1\"");
    Instant now = Instant.now();

    String id = client.silence(new SilenceRequest(labels, now, now.plus(Duration.ofMinutes(15)), "remediator",
        "rule restart-api, remediation 7"));

    JsonNode silence = silence(id);
    assertThat(silence.path("status").path("state").asText()).isEqualTo("active");
    assertThat(silence.path("createdBy").asText()).isEqualTo("remediator");
    assertThat(silence.path("comment").asText()).isEqualTo("rule restart-api, remediation 7");
    List<String> matchers = new ArrayList<>();
    silence.path("matchers").forEach(m -> matchers.add(m.path("name").asText() + "=" + m.path("value").asText()
        + " regex=" + m.path("isRegex").asBoolean() + " equal=" + m.path("isEqual").asBoolean(true)));
    assertThat(matchers).containsExactlyInAnyOrder("alertname=Silenced regex=false equal=true",
        "service=api \"1\" regex=false equal=true");

    client.expire(id);

    assertThat(silence(id).path("status").path("state").asText()).isEqualTo("expired");
    client.expire(id);
    assertThat(silence(id).path("status").path("state").asText()).as("expiring twice is harmless").isEqualTo("expired");
    assertThatThrownBy(() -> client.expire("00000000-0000-0000-0000-000000000000"))
        .isInstanceOf(AlertmanagerException.class).hasMessageContaining("answered HTTP");
  }

  @Test
  void anUnreachableAlertmanagerIsAnErrorNamingTheUrlWithoutLabelValues() throws Exception {
    AlertmanagerClient nowhere = new AlertmanagerClient(HttpUrl.get(closedPort()), HTTP, JSON);

    assertThatThrownBy(() -> nowhere.firing(Labels.of("alertname", "X", "secret", "s3cret")))
        .isInstanceOf(AlertmanagerException.class)
        .hasMessageContaining("/api/v2/alerts failed")
        .hasMessageNotContaining("s3cret");
  }

  /** A loopback URL on which nothing listens. */
  static String closedPort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  private static JsonNode silence(String id) throws Exception {
    Request request = new Request.Builder().url(HttpUrl.get(alertmanager.url()).newBuilder()
        .addPathSegments("api/v2/silences").build()).build();
    try (Response response = HTTP.newCall(request).execute()) {
      for (JsonNode silence : JSON.readTree(response.body().string())) {
        if (silence.path("id").asText().equals(id)) {
          return silence;
        }
      }
    }
    throw new AssertionError("GET /api/v2/silences does not list silence " + id);
  }
}
