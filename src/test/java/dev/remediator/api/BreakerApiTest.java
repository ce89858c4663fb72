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
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The breaker as an SRE meets it, through the real server: a command that keeps failing on
 * repeated alerts stops being run once its breaker opens, the breaker shows in
 * {@code GET /api/v1/breakers} and {@code /metrics}, and an operator can reset it.
 */
class BreakerApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  private RunningApp app;

  @BeforeEach
  void start() {
    String rules = """
        targets:
          host: {kind: command, breaker: {min_calls: 2, open_for: 1h}}
        rules:
          - name: restart-api
            match: ['alertname="Load"']
            action: command
            target: host
            with: {argv: ["/bin/false"]}
        """;
    app = RunningApp.withTokens(dir, rules);
  }

  @AfterEach
  void stop() {
    app.close();
  }

  /** Posts an alert and waits until its remediation has ended in {@code state}; returns its reason or error. */
  private String fire(String id, String state) {
    assertThat(app.post("/webhook", firingLoad(id), "application/json", WEBHOOK).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(app.rows("select state from remediation where fingerprint = ?", id)).containsExactly(state));
    return app.rows("select coalesce(error, reason) from remediation where fingerprint = ?", id).get(0);
  }

  private static JsonNode json(Answer answer) throws Exception {
    return JSON.readTree(answer.body());
  }

  @Test
  void aFailingCommandStopsBeingRunOnceItsBreakerOpensUntilAnOperatorResetsIt() throws Exception {
    assertThat(fire("a1", "failed")).contains("exited with status 1");
    assertThat(fire("a2", "failed")).contains("exited with status 1");

    String skipped = fire("a3", "skipped");

    assertThat(skipped).contains("breaker open until");
    assertThat(app.rows("select count(*) from audit_event where kind = 'started'")).containsExactly("2");
    assertThat(app.rows("select kind, outcome from audit_event where kind like 'breaker%'"))
        .containsExactly("breaker_opened | open");
    assertThat(app.rows("select detail from audit_event where kind = 'guard' and fingerprint = 'a3' and detail like "
        + "'%breaker open%'")).hasSize(1);

    Answer listed = app.get("/api/v1/breakers", OPERATOR);
    assertThat(listed.status()).as(listed.body()).isEqualTo(200);
    JsonNode breaker = json(listed).path("breakers").get(0);
    assertThat(breaker.path("action").asText()).isEqualTo("command");
    assertThat(breaker.path("target").asText()).isEqualTo("host");
    assertThat(breaker.path("state").asText()).isEqualTo("open");
    assertThat(breaker.path("failures").asInt()).isEqualTo(2);
    assertThat(breaker.path("calls").asInt()).isEqualTo(2);
    assertThat(breaker.path("opened_at").asText()).isNotEmpty();
    assertThat(breaker.path("open_until").asText()).isNotEmpty();
    assertThat(breaker.path("settings").path("min_calls").asInt()).isEqualTo(2);
    assertThat(breaker.path("settings").path("failure_rate").asDouble()).isEqualTo(0.5);
    assertThat(breaker.path("settings").path("window").asText()).isEqualTo("1h");
    assertThat(breaker.path("settings").path("open_for").asText()).isEqualTo("1h");

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(app.get("/metrics").body())
        .containsPattern("remediator_breaker_state\\{action=\"command\",target=\"host\",?\\} 1\\.0")
        .contains("# HELP remediator_breaker_state", "0 closed, 1 open", "2 half_open"));

    Answer reset = app.post("/api/v1/breakers/command/host/reset", "{\"reason\": \"fixed the script\"}",
        "application/json", OPERATOR);
    assertThat(reset.status()).as(reset.body()).isEqualTo(200);
    assertThat(json(reset).path("state").asText()).isEqualTo("closed");
    assertThat(app.rows("select actor, detail from audit_event where kind = 'breaker_reset'")).singleElement()
        .satisfies(row -> assertThat(row).startsWith("operator@127.0.0.1 | ").contains("fixed the script"));
    assertThat(json(app.get("/api/v1/breakers", OPERATOR)).path("breakers").get(0).path("state").asText())
        .isEqualTo("closed");

    assertThat(fire("a4", "failed")).as("runs again after the reset").contains("exited with status 1");
  }

  @Test
  void listingNeedsTheViewerRoleAndResettingTheOperatorRole() throws Exception {
    assertThat(app.get("/api/v1/breakers").status()).isEqualTo(401);
    assertThat(app.get("/api/v1/breakers", WEBHOOK).status()).isEqualTo(403);
    Answer empty = app.get("/api/v1/breakers", OPERATOR);
    assertThat(empty.status()).isEqualTo(200);
    assertThat(json(empty).path("breakers").size()).isZero();

    assertThat(app.post("/api/v1/breakers/command/host/reset", "", "application/json", null).status())
        .isEqualTo(401);
    assertThat(app.post("/api/v1/breakers/command/host/reset", "", "application/json", WEBHOOK).status())
        .isEqualTo(403);
    Answer unknown = app.post("/api/v1/breakers/command/nowhere/reset", "", "application/json", OPERATOR);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(json(unknown).path("reason").asText()).contains("no breaker for action 'command' on target 'nowhere'");
    Answer badBody = app.post("/api/v1/breakers/command/host/reset", "{\"why\": 1}", "application/json", OPERATOR);
    assertThat(badBody.status()).isEqualTo(400);
    assertThat(json(badBody).path("field").asText()).isEqualTo("why");
  }
}
