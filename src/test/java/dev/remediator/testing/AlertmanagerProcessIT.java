package dev.remediator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.remediator.alert.Fingerprint;
import dev.remediator.alert.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the real Alertmanager 0.25 against a MockWebServer standing in for remediator's webhook,
 * and records what Alertmanager actually sends. The payloads it receives are kept as fixtures
 * under {@code src/test/resources/payloads/}, with the values that change on every run
 * ({@code externalURL}, {@code startsAt} and {@code endsAt}) replaced by fixed ones of the same shape.
 */
class AlertmanagerProcessIT {
  private static final String TOKEN = "am-webhook-token";
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";
  private static final String FIXED_EXTERNAL_URL = "http://alertmanager.example:9093";
  private static final String FIXED_STARTS_AT = "2026-11-22T10:00:00.123456789Z";
  private static final Map<String, String> LABELS = Map.of(
      "alertname", "HighErrorRate", "severity", "critical", "service", "api-1", "namespace", "prod");
  private static final String GENERATOR_URL =
      "http://prometheus.example:9090/graph?g0.expr=job%3Aerror_ratio%3Arate5m+%3E+0.05&g0.tab=1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private MockWebServer webhook;

  @BeforeEach
  void startWebhook() throws IOException {
    webhook = new MockWebServer();
    webhook.start();
  }

  @AfterEach
  void stopWebhook() throws IOException {
    webhook.shutdown();
  }

  @Test
  void firingAlertReachesWebhookWithBearerTokenAsPayloadVersion4() throws Exception {
    webhook.enqueue(new MockResponse().setResponseCode(200));
    try (AlertmanagerProcess am = AlertmanagerProcess.builder(webhookUrl()).bearerToken(TOKEN).start()) {
      am.postAlerts("[" + alert(null) + "]");

      RecordedRequest request = takeRequest(am);
      assertThat(request.getMethod()).isEqualTo("POST");
      assertThat(request.getPath()).isEqualTo("/webhook");
      assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
      assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
      assertThat(request.getHeader("User-Agent")).isEqualTo("Alertmanager/0.25.0");

      String body = request.getBody().readUtf8();
      assertThat(body).as("Go's json.Encoder ends the body with a newline").endsWith("}\n");
      JsonNode payload = JSON.readTree(body);
      assertThat(payload.path("version").asText()).isEqualTo("4");
      assertThat(payload.path("status").asText()).isEqualTo("firing");
      assertThat(payload.path("receiver").asText()).isEqualTo(AlertmanagerProcess.RECEIVER);
      assertThat(payload.path("truncatedAlerts").asInt(-1)).isZero();
      assertThat(payload.path("externalURL").asText()).isEqualTo("http://" + hostname() + ":" + am.url().getPort());
      assertThat(payload.path("groupKey").asText()).isEqualTo(
          "{}:{alertname=\"HighErrorRate\", namespace=\"prod\", service=\"api-1\", severity=\"critical\"}");
      assertThat(JSON.convertValue(payload.path("groupLabels"), Map.class)).isEqualTo(LABELS);
      assertThat(JSON.convertValue(payload.path("commonLabels"), Map.class)).isEqualTo(LABELS);

      assertThat(payload.path("alerts")).hasSize(1);
      JsonNode alert = payload.path("alerts").get(0);
      assertThat(alert.path("status").asText()).isEqualTo("firing");
      assertThat(JSON.convertValue(alert.path("labels"), Map.class)).isEqualTo(LABELS);
      assertThat(alert.path("annotations").path("summary").asText()).isEqualTo("High error rate on api-1");
      assertThat(alert.path("generatorURL").asText()).isEqualTo(GENERATOR_URL);
      assertThat(alert.path("fingerprint").asText())
          .matches("[0-9a-f]{16}")
          .isEqualTo(Fingerprint.of(Labels.of(LABELS)));
      assertThat(alert.path("endsAt").asText())
          .as("a firing alert posted without endsAt is sent with Go's zero time")
          .isEqualTo(ZERO_TIME);
      assertThat(alert.path("startsAt").asText())
          .as("Alertmanager stamps startsAt with its receive time, in RFC 3339 with nanoseconds")
          .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?(Z|[+-]\\d\\d:\\d\\d)");
      assertThat(Instant.parse(alert.path("startsAt").asText())).isBefore(Instant.now().plusSeconds(1));

      ObjectNode fixture = payload.deepCopy();
      fixture.put("externalURL", FIXED_EXTERNAL_URL);
      ((ObjectNode) fixture.path("alerts").get(0)).put("startsAt", FIXED_STARTS_AT);
      assertMatchesFixture("alertmanager-0.25-firing.json", fixture);
    }
  }

  @Test
  void resolvedAlertIsSentWhenSendResolvedIsOn() throws Exception {
    webhook.enqueue(new MockResponse().setResponseCode(200));
    webhook.enqueue(new MockResponse().setResponseCode(200));
    try (AlertmanagerProcess am = AlertmanagerProcess.builder(webhookUrl())
        .bearerToken(TOKEN)
        .sendResolved(true)
        .start()) {
      String startsAt = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS).toString();
      am.postAlerts("[" + alert("\"startsAt\": \"" + startsAt + "\"") + "]");
      JsonNode firing = JSON.readTree(takeRequest(am).getBody().readUtf8());
      assertThat(firing.path("status").asText()).isEqualTo("firing");

      String endsAt = Instant.now().minusSeconds(1).toString();
      am.postAlerts("[" + alert("\"startsAt\": \"" + startsAt + "\", \"endsAt\": \"" + endsAt + "\"") + "]");
      RecordedRequest request = takeRequest(am);
      assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
      JsonNode resolved = JSON.readTree(request.getBody().readUtf8());
      assertThat(resolved.path("status").asText()).isEqualTo("resolved");
      JsonNode alert = resolved.path("alerts").get(0);
      assertThat(alert.path("status").asText()).isEqualTo("resolved");
      assertThat(alert.path("startsAt").asText()).isEqualTo(startsAt);
      assertThat(Instant.parse(alert.path("endsAt").asText())).isEqualTo(Instant.parse(endsAt));
      assertThat(alert.path("fingerprint").asText()).isEqualTo(firing.path("alerts").get(0).path("fingerprint").asText());
      assertThat(resolved.path("groupKey").asText()).isEqualTo(firing.path("groupKey").asText());

      ObjectNode fixture = resolved.deepCopy();
      fixture.put("externalURL", FIXED_EXTERNAL_URL);
      ObjectNode fixtureAlert = (ObjectNode) fixture.path("alerts").get(0);
      fixtureAlert.put("startsAt", "2026-11-22T10:00:00Z");
      fixtureAlert.put("endsAt", "2026-11-22T10:10:00.123456Z");
      assertMatchesFixture("alertmanager-0.25-resolved.json", fixture);
    }
  }

  @Test
  void serverErrorFromWebhookIsRetriedWithTheSamePayload() throws Exception {
    webhook.enqueue(new MockResponse().setResponseCode(503).setBody("store unavailable"));
    webhook.enqueue(new MockResponse().setResponseCode(200));
    try (AlertmanagerProcess am = AlertmanagerProcess.builder(webhookUrl()).bearerToken(TOKEN).start()) {
      am.postAlerts("[" + alert(null) + "]");

      String first = takeRequest(am).getBody().readUtf8();
      String second = takeRequest(am).getBody().readUtf8();
      assertThat(second).isEqualTo(first);
      assertThat(am.log()).contains("unexpected status code 503").contains("store unavailable");
    }
  }

  @Test
  void withoutTokenNoAuthorizationHeaderIsSent() throws Exception {
    webhook.enqueue(new MockResponse().setResponseCode(200));
    try (AlertmanagerProcess am = AlertmanagerProcess.builder(webhookUrl()).start()) {
      am.postAlerts("[" + alert(null) + "]");

      assertThat(takeRequest(am).getHeader("Authorization")).isNull();
    }
  }

  private URI webhookUrl() {
    return webhook.url("/webhook").uri();
  }

  /** The test alert as Prometheus would post it, plus {@code extraFields} when not null. */
  private static String alert(String extraFields) {
    return """
        {"labels": {"alertname": "HighErrorRate", "severity": "critical", "service": "api-1", "namespace": "prod"},
         "annotations": {"summary": "High error rate on api-1"},
         "generatorURL": "%s"%s}
        """.formatted(GENERATOR_URL, extraFields == null ? "" : ", " + extraFields);
  }

  private RecordedRequest takeRequest(AlertmanagerProcess am) throws InterruptedException {
    RecordedRequest request = webhook.takeRequest(10, TimeUnit.SECONDS);
    if (request == null) {
      fail("no webhook request within 10s; Alertmanager log:\n" + am.log());
    }
    return request;
  }

  private static String hostname() throws IOException {
    return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
  }

  /**
   * Compares {@code actual} with the fixture of that name. When they differ (or the fixture is
   * missing), the actual payload is written under {@code target/payloads/} to review and copy.
   */
  private static void assertMatchesFixture(String name, JsonNode actual) throws IOException {
    JsonNode expected;
    try (InputStream in = AlertmanagerProcessIT.class.getResourceAsStream("/payloads/" + name)) {
      expected = in == null ? null : JSON.readTree(in);
    }
    if (actual.equals(expected)) {
      return;
    }
    Path written = Path.of("target", "payloads", name);
    Files.createDirectories(written.getParent());
    Files.writeString(written, pretty(actual), StandardCharsets.UTF_8);
    fail("Alertmanager's payload differs from src/test/resources/payloads/" + name
        + "; what it sent is in " + written.toAbsolutePath() + " (copy it over if the change is expected)");
  }

  private static String pretty(JsonNode node) throws IOException {
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(
        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
        .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
        .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
    return JSON.writer(printer).writeValueAsString(node) + "\n";
  }
}
