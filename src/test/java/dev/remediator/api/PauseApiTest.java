package dev.remediator.api;

import static dev.remediator.testing.RunningApp.OPERATOR;
import static dev.remediator.testing.RunningApp.WEBHOOK;
import static dev.remediator.testing.RunningApp.firingLoad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.RunningApp.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill switch through the real server: only an operator may pull or release it, bad bodies
 * are refused naming the field, and a pause shows in {@code /-/ready}, in {@code /metrics} and in
 * what happens to the next alert.
 */
class PauseApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  private Path markers;
  private RunningApp app;

  @BeforeEach
  void start() throws Exception {
    markers = Files.createDirectory(dir.resolve("markers"));
    String rules = """
        targets:
          host: {kind: command}
        rules:
          - name: touch-marker
            match: ['alertname="Load"']
            action: command
            target: host
            with: {argv: ["/usr/bin/touch", "%s/{{ labels.id }}"]}
            allow: {id: "[a-z0-9]{1,8}"}
        """.formatted(markers);
    app = RunningApp.withTokens(dir, rules);
  }

  @AfterEach
  void stop() {
    app.close();
  }

  private Answer pause(String body, String authorization) {
    return app.post("/api/v1/pause", body, "application/json", authorization);
  }

  private static JsonNode json(Answer answer) throws Exception {
    return JSON.readTree(answer.body());
  }

  private double pausedGauge() {
    return app.get("/metrics").body().lines().filter(line -> line.startsWith("remediator_paused "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElseThrow();
  }

  @Test
  void onlyTheOperatorMayPauseOrResumeAndARefusalChangesNothing() throws Exception {
    assertThat(pause("{\"reason\":\"x\"}", null).status()).isEqualTo(401);
    assertThat(pause("{\"reason\":\"x\"}", "Bearer wrong").status()).isEqualTo(401);
    Answer webhook = pause("{\"reason\":\"x\"}", WEBHOOK);
    assertThat(webhook.status()).isEqualTo(403);
    assertThat(json(webhook).get("reason").asText()).isEqualTo("this credential does not grant access to /api/v1/pause");
    assertThat(app.delete("/api/v1/pause", null).status()).isEqualTo(401);
    assertThat(app.delete("/api/v1/pause", WEBHOOK).status()).isEqualTo(403);

    assertThat(app.rows("select count(*) from pause")).containsExactly("0");
    assertThat(app.rows("select count(*) from audit_event where kind in ('paused', 'resumed')")).containsExactly("0");
  }

  @Test
  void badBodiesAreRefusedNamingTheField() throws Exception {
    Map<String, String> fieldOf = Map.of(
        "{}", "reason",
        "{\"reason\":\"  \"}", "reason",
        "{\"reason\":7}", "reason",
        "{\"reason\":\"freeze\",\"for\":\"soon\"}", "for",
        "{\"reason\":\"freeze\",\"for\":\"0\"}", "for",
        "{\"reason\":\"freeze\",\"until\":\"1h\"}", "until",
        "[\"freeze\"]", "body",
        "{\"reason\":", "body");
    for (Map.Entry<String, String> bad : fieldOf.entrySet()) {
      Answer answer = pause(bad.getKey(), OPERATOR);
      assertThat(answer.status()).as(bad.getKey()).isEqualTo(400);
      assertThat(json(answer).get("field").asText()).as(bad.getKey()).isEqualTo(bad.getValue());
    }
    assertThat(json(pause("{\"reason\":\"freeze\",\"for\":\"soon\"}", OPERATOR)).get("reason").asText())
        .isEqualTo("not a valid duration string: \"soon\" (use e.g. 90s, 15m, 1h30m)");
    assertThat(app.rows("select count(*) from pause")).containsExactly("0");
  }

  @Test
  void aPauseSkipsNewAlertsShowsInReadyAndMetricsAndAResumeActsAgain() throws Exception {
    assertThat(json(app.get("/-/ready")).get("pause").get("paused").asBoolean()).isFalse();
    assertThat(pausedGauge()).isEqualTo(0.0);

    Answer paused = pause("{\"reason\":\"deploy freeze\",\"for\":\"1h\"}", OPERATOR);

    assertThat(paused.status()).isEqualTo(200);
    JsonNode state = json(paused);
    assertThat(state.get("paused").asBoolean()).isTrue();
    assertThat(state.get("reason").asText()).isEqualTo("deploy freeze");
    assertThat(state.get("by").asText()).isEqualTo("operator@127.0.0.1");
    Instant since = Instant.parse(state.get("since").asText());
    assertThat(Instant.parse(state.get("until").asText())).isEqualTo(since.plus(Duration.ofHours(1)));

    Answer ready = app.get("/-/ready");
    assertThat(ready.status()).as("a paused remediator is still ready").isEqualTo(200);
    assertThat(json(ready).get("pause")).isEqualTo(state);
    assertThat(pausedGauge()).isEqualTo(1.0);

    assertThat(app.post("/webhook", firingLoad("one"), "application/json", WEBHOOK).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(app.rows("select state, reason from remediation where fingerprint = 'one'")).containsExactly(
            "skipped | remediator is paused by operator@127.0.0.1 until " + state.get("until").asText()
                + ": deploy freeze"));

    Answer resumed = app.delete("/api/v1/pause", OPERATOR);

    assertThat(resumed.status()).isEqualTo(200);
    assertThat(json(resumed).get("paused").asBoolean()).isFalse();
    assertThat(json(resumed).get("resumed").asBoolean()).isTrue();
    assertThat(json(resumed).get("was").get("reason").asText()).isEqualTo("deploy freeze");
    assertThat(json(app.get("/-/ready")).get("pause").get("paused").asBoolean()).isFalse();
    assertThat(pausedGauge()).isEqualTo(0.0);
    assertThat(app.rows("select kind, actor, outcome from audit_event where kind in ('paused', 'resumed') order by id"))
        .containsExactly("paused | operator@127.0.0.1 | paused", "resumed | operator@127.0.0.1 | resumed");

    assertThat(app.post("/webhook", firingLoad("two"), "application/json", WEBHOOK).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(markers.resolve("two")));
    assertThat(markers.resolve("one")).doesNotExist();
  }
}
