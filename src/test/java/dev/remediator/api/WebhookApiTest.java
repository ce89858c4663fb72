package dev.remediator.api;

import dev.remediator.engine.GuardChain;
import java.util.stream.Stream;
import java.util.List;
import java.util.Collections;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.RunningApp.Answer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** POST /webhook and the operational endpoints on the real app with the embedded store. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookApiTest {
  static final String TOKEN = "alertmanager:s3cret";
  static final String BEARER = "Bearer " + TOKEN;
  static final String OPERATOR = "Bearer operator-token";
  static final ObjectMapper JSON = new ObjectMapper();

  static String rules(Path markers) {
    return """
        targets:
          deployer: {kind: command}
        rules:
          - name: restart-api
            match: ['alertname="HighErrorRate"', 'severity=~"critical|page"']
            action: command
            target: deployer
            with:
              argv: ["/usr/bin/touch", "%s/{{ labels.service }}"]
              timeout: 10s
            allow: {service: "[a-z0-9-]{1,63}"}
        """.formatted(markers);
  }

  @TempDir
  static Path dir;
  Path markers;
  RunningApp app;

  @BeforeAll
  void start() throws IOException {
    markers = Files.createDirectories(dir.resolve("markers"));
    app = RunningApp.start(dir, rules(markers), Optional.empty(), Optional.of(TOKEN), Optional.of("operator-token"),
        false, Map.of());
  }

  @AfterAll
  void stop() {
    app.close();
  }

  static String payload(String name) throws IOException {
    try (var in = WebhookApiTest.class.getResourceAsStream("/payloads/" + name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  static String alert(String fingerprint, String service, String startsAt) {
    return """
        {"version":"4","groupKey":"{}:{alertname=\\"HighErrorRate\\"}","truncatedAlerts":0,"status":"firing",
         "receiver":"remediator","groupLabels":{"alertname":"HighErrorRate"},"commonLabels":{},"commonAnnotations":{},
         "externalURL":"http://alertmanager:9093","alerts":[{"status":"firing",
         "labels":{"alertname":"HighErrorRate","severity":"critical","service":"%s"},"annotations":{},
         "startsAt":"%s","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"%s"}]}"""
        .formatted(service, startsAt, fingerprint);
  }

  Answer webhook(String body) {
    return app.post("/webhook", body, "application/json", BEARER);
  }

  static JsonNode json(Answer answer) throws IOException {
    return JSON.readTree(answer.body());
  }

  @Test
  void storesTheSamplePayloadAndRunsTheMatchingActionWithTheLabelValue() throws IOException {
    Answer answer = webhook(payload("one.json"));

    assertThat(answer.status()).isEqualTo(200);
    JsonNode body = json(answer);
    assertThat(body.get("status").asText()).isEqualTo("stored");
    assertThat(body.get("alerts")).isEqualTo(JSON.readTree("{\"total\":1,\"new\":1,\"duplicate\":0}"));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(markers.resolve("api-1")));
    long notification = body.get("notificationId").asLong();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(app.rows(
        "select kind from audit_event where notification_id = ? order by id", notification)).containsExactlyElementsOf(
        Stream.of(List.of("received", "matched"), Collections.nCopies(GuardChain.ORDER.size(), "guard"),
            List.of("decided", "started", "succeeded")).flatMap(List::stream).toList()));
    assertThat(app.rows("select r.state, r.action, r.target from remediation r join alert a on a.id = r.alert_id "
        + "where a.notification_id = ?", notification)).containsExactly("succeeded | command | deployer");
  }

  @Test
  void secondIdenticalPostIsADuplicateAndCreatesNoSecondRemediation() throws IOException {
    String body = alert("00000000000000d1", "api-dup", "2026-11-22T11:00:00Z");
    assertThat(json(webhook(body)).get("alerts").get("new").asInt()).isEqualTo(1);

    Answer again = webhook(body);

    assertThat(again.status()).isEqualTo(200);
    assertThat(json(again).get("alerts")).isEqualTo(JSON.readTree("{\"total\":1,\"new\":0,\"duplicate\":1}"));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(markers.resolve("api-dup")));
    assertThat(app.rows("select count(*) from remediation where fingerprint = '00000000000000d1'")).containsExactly("1");
    assertThat(app.rows("select count(*) from notification where payload = ?", body)).containsExactly("2");
  }

  @Test
  void hundredAlertPayloadIsStoredInOneAnswer() throws IOException {
    String hundred = payload("hundred.json").replace("2026-11-22T10:00:00.000Z", "2026-11-22T09:00:00.000Z");

    Answer answer = webhook(hundred);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(json(answer).get("alerts").get("total").asInt()).isEqualTo(100);
  }

  @Test
  void missingOrWrongCredentialsAre401AndStoreNothing() throws IOException {
    String body = alert("00000000000000a1", "api-auth", "2026-11-22T12:00:00Z");

    Answer none = app.post("/webhook", body, "application/json", null);
    Answer wrong = app.post("/webhook", body, "application/json", "Bearer nope");
    Answer wrongBasic = app.post("/webhook", body, "application/json",
        "Basic " + Base64.getEncoder().encodeToString("alertmanager:wrong".getBytes()));

    for (Answer answer : new Answer[] {none, wrong, wrongBasic}) {
      assertThat(answer.status()).isEqualTo(401);
      assertThat(json(answer)).isEqualTo(JSON.readTree(
          "{\"status\":401,\"field\":\"\",\"reason\":\"missing or wrong credentials\"}"));
    }
    assertThat(app.rows("select count(*) from alert where fingerprint = '00000000000000a1'")).containsExactly("0");
  }

  @Test
  void basicAuthWithTheUserAndPasswordIsAccepted() {
    Answer answer = app.post("/webhook", alert("00000000000000b1", "api-basic", "2026-11-22T12:00:00Z"),
        "application/json", "Basic " + Base64.getEncoder().encodeToString(TOKEN.getBytes()));

    assertThat(answer.status()).isEqualTo(200);
  }

  @Test
  void badInputGetsItsStatusFieldAndReasonAndLosesNothingStoredBefore() throws IOException {
    String good = alert("00000000000000c1", "api-good", "2026-11-22T13:00:00Z");
    assertThat(webhook(good).status()).isEqualTo(200);

    assertError(app.post("/webhook", good, "text/plain", BEARER), 415, "",
        "Content-Type must be application/json, but was \"text/plain\"");
    assertError(webhook("x".repeat(1024 * 1024 + 1)), 413, "", "body larger than 1048576 bytes");
    assertThat(webhook("{\"version\":\"4\",").status()).isEqualTo(400);
    assertThat(json(webhook("{\"version\":\"4\",")).get("reason").asText()).startsWith("malformed JSON");
    assertError(webhook(good.replace("\"version\":\"4\"", "\"version\":\"3\"")), 400, "version",
        "unsupported version \"3\", expected \"4\" (Alertmanager) or \"1\" with an orgId (Grafana)");
    assertError(webhook(good.replace("\"alertname\":\"HighErrorRate\",\"severity\"", "\"severity\"")), 400,
        "alerts[0].labels.alertname", "is required");
    assertError(webhook(good.replace("\"startsAt\":\"2026-11-22T13:00:00Z\",", "")), 400, "alerts[0].startsAt",
        "is required");
    assertThat(webhook("[".repeat(65) + "]".repeat(65)).status()).isEqualTo(400);

    assertThat(app.get("/-/healthy").status()).isEqualTo(200);
    assertThat(app.rows("select count(*) from alert where fingerprint = '00000000000000c1'")).containsExactly("1");
  }

  private static void assertError(Answer answer, int status, String field, String reason) throws IOException {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(json(answer)).isEqualTo(JSON.createObjectNode().put("status", status).put("field", field)
        .put("reason", reason));
  }

  @Test
  void readyReportsStoreAndRules() throws IOException {
    Answer ready = app.get("/-/ready");

    assertThat(ready.status()).isEqualTo(200);
    assertThat(json(ready)).isEqualTo(JSON.readTree("{\"status\":\"ready\",\"rules\":1,\"pause\":{\"paused\":false}}"));
  }

  @Test
  void metricsExposeThePipeline() {
    webhook(alert("00000000000000e1", "api-metrics", "2026-11-22T14:00:00Z"));

    Answer metrics = app.get("/metrics");

    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.contentType()).startsWith("text/plain");
    assertThat(metrics.body()).contains(
        "remediator_notifications_received_total{status=\"firing\"}",
        "remediator_alerts_received_total{status=\"firing\"}",
        "remediator_webhook_duration_seconds_bucket",
        "remediator_rules_loaded 1.0");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(app.get("/metrics").body()).contains(
        "remediator_decisions_total{rule=\"restart-api\",verdict=\"pending\"}",
        "remediator_actions_total{action=\"command\",outcome=\"succeeded\",target=\"deployer\"}",
        "remediator_action_duration_seconds_bucket",
        "remediator_queue_depth{queue=\"pending\"}"));
  }

  @Test
  void unknownPathIsAJson404() throws IOException {
    Answer answer = app.get("/nope");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(json(answer).get("reason").asText()).isEqualTo("no such endpoint: GET /nope");
  }

  @Test
  void reloadNeedsTheOperatorTokenAndABadFileKeepsTheRulesInForce() throws IOException {
    assertThat(app.post("/-/reload", "", "application/json", null).status()).isEqualTo(401);
    assertThat(app.post("/-/reload", "", "application/json", BEARER).status()).isEqualTo(403);
    String good = Files.readString(app.rulesFile());
    try {
      Files.writeString(app.rulesFile(), good.replace("action: command", "action: reboot"));
      Answer rejected = app.post("/-/reload", "", "application/json", OPERATOR);

      assertThat(rejected.status()).isEqualTo(409);
      assertThat(json(rejected).get("rulesInForce").asInt()).isEqualTo(1);
      assertThat(json(rejected).get("problems").get(0).asText()).contains("unknown action \"reboot\"");
      assertThat(app.get("/-/ready").status()).isEqualTo(200);
    } finally {
      Files.writeString(app.rulesFile(), good);
    }
    Answer reloaded = app.post("/-/reload", "", "application/json", OPERATOR);
    assertThat(reloaded.status()).isEqualTo(200);
    assertThat(app.rows("select kind, outcome from audit_event where kind like 'rules_%' order by id"))
        .containsExactly("rules_rejected | rejected", "rules_reloaded | loaded");
  }
}
