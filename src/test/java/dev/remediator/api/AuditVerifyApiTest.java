package dev.remediator.api;

import static dev.remediator.testing.RunningApp.OPERATOR;
import static dev.remediator.testing.RunningApp.WEBHOOK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.testing.RunningApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/audit/verify} on the real server: the sealer links what the webhook audited,
 * the chain verifies for a viewer, the head is exported as a metric, and links cut off the end of
 * the store are reported against the head this process sealed.
 */
class AuditVerifyApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  private RunningApp app;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() {
    app = RunningApp.withTokens(dir, "rules: []\n", config -> config.withAuditKey(Optional.of("audit-key")));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  private HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url(path))).timeout(Duration.ofSeconds(20));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private void postAlert(String id) {
    String body = """
        {"version":"4","groupKey":"g","truncatedAlerts":0,"status":"firing","receiver":"remediator",
         "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://alertmanager:9093",
         "alerts":[{"status":"firing","labels":{"alertname":"Load","id":"%1$s"},"annotations":{},
         "startsAt":"2026-11-22T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"%1$s"}]}"""
        .formatted(id);
    assertThat(app.post("/webhook", body, "application/json", WEBHOOK).status()).isEqualTo(200);
  }

  private long sealedCount() {
    return Long.parseLong(app.rows("select count(*) from audit_seal").get(0));
  }

  /** Whether every event the app audited so far is sealed, and at least {@code count} of them. */
  private boolean allSealed(long count) {
    return sealedCount() >= count
        && app.rows("select count(*) from audit_event").equals(app.rows("select count(*) from audit_seal"));
  }

  @Test
  void aViewerSeesTheChainVerifyWithItsHeadAndTheMetricExportsIt() throws Exception {
    postAlert("a1");
    postAlert("a2");
    await().atMost(Duration.ofSeconds(30)).until(() -> allSealed(4));
    String head = app.rows("select seq, hash from audit_seal order by seq desc limit 1").get(0);
    String headSeq = head.split(" \\| ")[0];

    HttpResponse<String> answer = get("/api/v1/audit/verify", OPERATOR);

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode report = JSON.readTree(answer.body());
    assertThat(report.get("status").asText()).isEqualTo("ok");
    assertThat(report.get("links").asLong()).isEqualTo(Long.parseLong(headSeq));
    assertThat(report.get("head").get("seq").asText() + " | " + report.get("head").get("hash").asText()).isEqualTo(head);
    assertThat(report.get("unsealed").asLong()).isZero();
    assertThat(app.rows("select mode from audit_chain")).containsExactly("hmac-sha256");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get("/metrics", null).body())
        .contains("# HELP remediator_audit_head_seq ")
        .containsPattern("(?m)^remediator_audit_head_seq " + headSeq + "(\\.0)?$")
        .containsPattern("(?m)^remediator_audit_chain_ok 1(\\.0)?$"));
  }

  @Test
  void onlyViewerCredentialsMayAsk() throws Exception {
    assertThat(get("/api/v1/audit/verify", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/audit/verify", WEBHOOK).statusCode()).isEqualTo(403);
    assertThat(get("/api/v1/audit/verify", OPERATOR).statusCode()).isEqualTo(200);
  }

  @Test
  void linksCutOffTheEndAreReportedAgainstTheHeadThisProcessSealed() throws Exception {
    postAlert("b1");
    await().atMost(Duration.ofSeconds(30)).until(() -> allSealed(2));
    long head = sealedCount();

    app.app().database().inTransaction(c -> {
      c.createStatement().execute("drop trigger audit_seal_no_delete");
      return c.createStatement().executeUpdate("delete from audit_seal where seq = " + head);
    });

    HttpResponse<String> answer = get("/api/v1/audit/verify", OPERATOR);
    assertThat(answer.statusCode()).isEqualTo(409);
    JsonNode report = JSON.readTree(answer.body());
    assertThat(report.get("status").asText()).isEqualTo("broken");
    assertThat(report.get("problem").asText()).isEqualTo("truncated");
    assertThat(report.get("brokenAt").asLong()).isEqualTo(head);
    assertThat(report.get("reason").asText()).isEqualTo("the chain ends at seq " + (head - 1)
        + " but its head was exported at seq " + head + ": links were cut off the end");
    assertThat(get("/metrics", null).body()).containsPattern("(?m)^remediator_audit_chain_ok 0(\\.0)?$");
  }
}
