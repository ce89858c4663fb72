package dev.remediator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.RunningApp.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/audit/counts}: what became of remediations over a recent window, by outcome. */
class AuditCountsApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPERATOR = "Bearer operator-token";

  @TempDir
  Path dir;
  private final MutableClock clock = MutableClock.at("2026-11-24T08:00:00Z");
  private RunningApp app;

  @BeforeEach
  void start() throws Exception {
    Path markers = Files.createDirectory(dir.resolve("markers"));
    String rules = """
        targets:
          host: {kind: command}
        rules:
          - name: touch-now
            match: ['alertname="Now"']
            action: command
            target: host
            with: {argv: ["/usr/bin/touch", "%1$s/{{ labels.id }}"]}
            allow: {id: "[a-z0-9]{1,8}"}
          - name: touch-later
            match: ['alertname="Later"']
            action: command
            target: host
            approval: required
            with: {argv: ["/usr/bin/touch", "%1$s/{{ labels.id }}"]}
            allow: {id: "[a-z0-9]{1,8}"}
        """.formatted(markers);
    app = RunningApp.start(dir, rules, Optional.empty(), Optional.of("hook-token"), Optional.of("operator-token"),
        false, Map.of(), config -> config.withClock(clock));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void countsEachDecisionAndEachResultOfTheLastDayByOutcome() throws Exception {
    post("Now", "n1");
    post("Later", "l1");
    post("Later", "l2");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(app.rows("select state from remediation order by id"))
            .containsExactly("succeeded", "awaiting_approval", "awaiting_approval"));
    String rejected = app.rows("select id from remediation where fingerprint = 'l2'").get(0);
    assertThat(app.post("/api/v1/remediations/" + rejected + "/reject", "", null, OPERATOR).status()).isEqualTo(200);

    JsonNode counts = counts("");
    assertThat(counts.path("outcomes")).isEqualTo(JSON.readTree(
        "{\"awaiting_approval\":2,\"pending\":1,\"rejected\":1,\"succeeded\":1}"));
    assertThat(counts.path("window").asText()).isEqualTo("1d");
    assertThat(counts.path("since").asText()).isEqualTo("2026-11-23T08:00:00Z");

    clock.advance(Duration.ofHours(25));
    assertThat(counts("").path("outcomes")).as("a day later nothing is left in the window").isEmpty();
    assertThat(counts("?since=2d").path("outcomes").path("succeeded").asInt()).isEqualTo(1);
  }

  @Test
  void aBadWindowIsRefusedWithTheReason() {
    Answer tooLong = app.get("/api/v1/audit/counts?since=60d", OPERATOR);
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.body()).contains("\"field\":\"since\"").contains("must be a duration from 1s to 31d");
    Answer unknown = app.get("/api/v1/audit/counts?limit=3", OPERATOR);
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body()).contains("\"field\":\"limit\"");
    assertThat(app.get("/api/v1/audit/counts", null).status()).isEqualTo(401);
  }

  private JsonNode counts(String query) throws Exception {
    Answer answer = app.get("/api/v1/audit/counts" + query, OPERATOR);
    assertThat(answer.status()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  private void post(String alertname, String id) {
    String payload = """
        {"version":"4","groupKey":"g","truncatedAlerts":0,"status":"firing","receiver":"remediator",
         "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://alertmanager:9093",
         "alerts":[{"status":"firing","labels":{"alertname":"%1$s","id":"%2$s"},"annotations":{},
         "startsAt":"2026-11-24T07:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"%2$s"}]}"""
        .formatted(alertname, id);
    assertThat(app.post("/webhook", payload, "application/json", "Bearer hook-token").status()).isEqualTo(200);
  }
}
