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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approving and rejecting through the real server: a rule with {@code approval: required} waits
 * until an operator approves (then the command runs) or rejects (then it never runs), and only
 * the operator credential may do either.
 */
class ApprovalApiTest {
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
          - name: restart-api
            match: ['alertname="Load"']
            action: command
            target: host
            approval: required
            with: {argv: ["/usr/bin/touch", "%s/{{ labels.id }}"]}
            allow: {id: "[a-z0-9]{1,8}"}
        """.formatted(markers);
    app = RunningApp.withTokens(dir, rules);
  }

  @AfterEach
  void stop() {
    app.close();
  }

  /** Posts an alert and waits until its remediation awaits approval; returns the remediation id. */
  private String awaitingApproval(String id) {
    assertThat(app.post("/webhook", firingLoad(id), "application/json", WEBHOOK).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(app.rows("select state from remediation where fingerprint = ?", id))
            .containsExactly("awaiting_approval"));
    return app.rows("select id from remediation where fingerprint = ?", id).get(0);
  }

  private Answer post(String path, String body, String authorization) {
    return app.post(path, body, "application/json", authorization);
  }

  private static JsonNode json(Answer answer) throws Exception {
    return JSON.readTree(answer.body());
  }

  @Test
  void anApprovedRemediationRunsOnceAndASecondApprovalIsAConflictNamingItsState() throws Exception {
    String id = awaitingApproval("a1");
    assertThat(Files.exists(markers.resolve("a1"))).as("nothing runs before approval").isFalse();

    Answer approved = post("/api/v1/remediations/" + id + "/approve", "{\"reason\": \"checked the graphs\"}",
        OPERATOR);
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    assertThat(json(approved).path("state").asText()).isEqualTo("pending");

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(app.rows("select state from remediation where id = ?", Long.parseLong(id)))
            .containsExactly("succeeded"));
    assertThat(Files.exists(markers.resolve("a1"))).as("the command ran").isTrue();
    List<String> events = app.rows(
        "select kind, actor from audit_event where remediation_id = ? and kind in ('approved', 'started', 'succeeded') "
            + "order by id", Long.parseLong(id));
    assertThat(events).hasSize(3);
    assertThat(events.get(0)).isEqualTo("approved | operator@127.0.0.1");
    assertThat(events.get(1)).startsWith("started | ");
    assertThat(events.get(2)).startsWith("succeeded | ");
    assertThat(app.rows("select detail from audit_event where remediation_id = ? and kind = 'approved'",
        Long.parseLong(id)).get(0)).contains("checked the graphs");

    Answer again = post("/api/v1/remediations/" + id + "/approve", "", OPERATOR);
    assertThat(again.status()).isEqualTo(409);
    assertThat(json(again).path("field").asText()).isEqualTo("state");
    assertThat(json(again).path("reason").asText()).contains("is succeeded", "not awaiting_approval");
    assertThat(app.rows("select count(*) from audit_event where kind = 'approved'")).containsExactly("1");
  }

  @Test
  void aRejectedRemediationEndsRejectedAndNeverRuns() throws Exception {
    String rejectedId = awaitingApproval("r1");
    String approvedId = awaitingApproval("r2");

    Answer rejected = post("/api/v1/remediations/" + rejectedId + "/reject", "{\"reason\": \"maintenance window\"}",
        OPERATOR);
    assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
    assertThat(json(rejected).path("state").asText()).isEqualTo("rejected");
    // Approving a later remediation and waiting for it to finish proves the worker ran and passed the rejected one by.
    assertThat(post("/api/v1/remediations/" + approvedId + "/approve", "", OPERATOR).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(app.rows("select state from remediation where id = ?", Long.parseLong(approvedId)))
            .containsExactly("succeeded"));

    assertThat(app.rows("select state, reason from remediation where id = ?", Long.parseLong(rejectedId)))
        .containsExactly("rejected | rejected by operator@127.0.0.1: maintenance window");
    assertThat(app.rows("select kind from audit_event where remediation_id = ? and kind in "
        + "('rejected', 'started', 'succeeded', 'failed') order by id", Long.parseLong(rejectedId)))
        .containsExactly("rejected");
    assertThat(Files.exists(markers.resolve("r1"))).as("the rejected command never ran").isFalse();
    assertThat(Files.exists(markers.resolve("r2"))).isTrue();

    Answer approveRejected = post("/api/v1/remediations/" + rejectedId + "/approve", "", OPERATOR);
    assertThat(approveRejected.status()).isEqualTo(409);
    assertThat(json(approveRejected).path("reason").asText()).contains("is rejected");
  }

  @Test
  void onlyTheOperatorCredentialMayApproveOrReject() throws Exception {
    String id = awaitingApproval("c1");
    assertThat(post("/api/v1/remediations/" + id + "/approve", "", null).status()).isEqualTo(401);
    assertThat(post("/api/v1/remediations/" + id + "/reject", "", "Bearer wrong").status()).isEqualTo(401);
    assertThat(post("/api/v1/remediations/" + id + "/approve", "", WEBHOOK).status()).isEqualTo(403);
    assertThat(post("/api/v1/remediations/" + id + "/reject", "", WEBHOOK).status()).isEqualTo(403);
    assertThat(app.rows("select state from remediation where id = ?", Long.parseLong(id)))
        .containsExactly("awaiting_approval");
    assertThat(app.rows("select count(*) from audit_event where kind in ('approved', 'rejected')"))
        .containsExactly("0");
  }

  @Test
  void anUnknownIdIsNotFoundAndABadIdOrBodyIsABadRequestNamingWhatIsWrong() throws Exception {
    Answer unknown = post("/api/v1/remediations/987654/approve", "", OPERATOR);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(json(unknown).path("field").asText()).isEqualTo("id");
    assertThat(json(unknown).path("reason").asText()).contains("987654");

    Answer notNumber = post("/api/v1/remediations/abc/reject", "", OPERATOR);
    assertThat(notNumber.status()).isEqualTo(400);
    assertThat(json(notNumber).path("field").asText()).isEqualTo("id");
    assertThat(json(notNumber).path("reason").asText()).contains("positive integer", "abc");

    String id = awaitingApproval("b1");
    Answer tooLong = post("/api/v1/remediations/" + id + "/approve",
        "{\"reason\": \"" + "x".repeat(501) + "\"}", OPERATOR);
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(json(tooLong).path("field").asText()).isEqualTo("reason");
    assertThat(json(tooLong).path("reason").asText()).contains("at most 500");

    Answer notJson = post("/api/v1/remediations/" + id + "/approve", "{reason", OPERATOR);
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(json(notJson).path("field").asText()).isEqualTo("body");

    Answer wrongType = post("/api/v1/remediations/" + id + "/reject", "{\"reason\": 5}", OPERATOR);
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(json(wrongType).path("field").asText()).isEqualTo("reason");

    assertThat(app.rows("select state from remediation where id = ?", Long.parseLong(id)))
        .containsExactly("awaiting_approval");
  }
}
