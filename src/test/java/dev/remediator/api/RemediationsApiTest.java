package dev.remediator.api;

import static dev.remediator.testing.RunningApp.OPERATOR;
import static dev.remediator.testing.RunningApp.WEBHOOK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.RunningApp.Answer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading remediations through the real server: three awaiting approval and one that ran. The
 * list filters by state (with {@code pending} meaning awaiting approval) and rule, pages newest
 * first, masks secrets in parameters and refuses bad parameters by name; one remediation comes
 * with its audit timeline and what its action reported.
 */
class RemediationsApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  private static RunningApp app;
  private static final List<Long> held = new ArrayList<>();
  private static long ran;

  @BeforeAll
  static void start() {
    String rules = """
        targets:
          host: {kind: command}
        rules:
          - name: hold-load
            match: ['alertname="Load"']
            action: command
            target: host
            approval: required
            with: {argv: ["/bin/echo", "{{ labels.id }}", "https://ops:hunter2@admin.internal/restart"]}
            allow: {id: "[a-z0-9]{1,8}"}
          - name: restart-disk
            match: ['alertname="Disk"']
            action: restart
            target: host
            with: {argv: ["/bin/echo", "restarted", "{{ labels.id }}"]}
            allow: {id: "[a-z0-9]{1,8}"}
        """;
    app = RunningApp.withTokens(dir, rules);
    for (String id : List.of("a1", "a2", "a3")) {
      assertThat(app.post("/webhook", alert("Load", id), "application/json", WEBHOOK).status()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(30)).until(() ->
          app.rows("select state from remediation where fingerprint = ?", id).equals(List.of("awaiting_approval")));
      held.add(Long.parseLong(app.rows("select id from remediation where fingerprint = ?", id).get(0)));
    }
    assertThat(app.post("/webhook", alert("Disk", "d1"), "application/json", WEBHOOK).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        app.rows("select state from remediation where fingerprint = 'd1'").equals(List.of("succeeded")));
    ran = Long.parseLong(app.rows("select id from remediation where fingerprint = 'd1'").get(0));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static String alert(String alertname, String id) {
    return """
        {"version":"4","groupKey":"g","truncatedAlerts":0,"status":"firing","receiver":"remediator",
         "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://alertmanager:9093",
         "alerts":[{"status":"firing","labels":{"alertname":"%1$s","id":"%2$s"},
         "annotations":{"summary":"%1$s on %2$s"},
         "startsAt":"2026-11-22T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"%2$s"}]}"""
        .formatted(alertname, id);
  }

  private static JsonNode get(String path) throws Exception {
    Answer answer = app.get(path, OPERATOR);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  private static List<Long> ids(JsonNode page) {
    List<Long> ids = new ArrayList<>();
    page.path("remediations").forEach(item -> ids.add(item.path("id").asLong()));
    return ids;
  }

  @Test
  void theListIsNewestFirstWithEachRemediationItsAlertAndMaskedParams() throws Exception {
    JsonNode page = get("/api/v1/remediations");

    assertThat(ids(page)).containsExactly(ran, held.get(2), held.get(1), held.get(0));
    assertThat(page.path("nextBefore").isNull()).isTrue();
    JsonNode first = page.path("remediations").get(3);
    assertThat(first.path("state").asText()).isEqualTo("awaiting_approval");
    assertThat(first.path("rule").asText()).isEqualTo("hold-load");
    assertThat(first.path("action").asText()).isEqualTo("command");
    assertThat(first.path("target").asText()).isEqualTo("host");
    assertThat(first.path("params")).isEqualTo(JSON.readTree(
        "{\"argv\":[\"/bin/echo\",\"a1\",\"https://ops:***@admin.internal/restart\"]}"));
    assertThat(first.path("alert")).isEqualTo(JSON.readTree("""
        {"fingerprint":"a1","alertname":"Load","startsAt":"2026-11-22T10:00:00Z","status":"firing",
         "labels":{"alertname":"Load","id":"a1"},"annotations":{"summary":"Load on a1"},"generatorURL":""}"""));
    assertThat(first.path("reason").asText()).isEqualTo("rule hold-load requires approval");
    assertThat(first.path("attempts").asInt()).isZero();
    Instant decidedAt = Instant.parse(first.path("decidedAt").asText());
    assertThat(Instant.parse(first.path("expiresAt").asText())).as("the default approval_ttl")
        .isEqualTo(decidedAt.plus(Duration.ofMinutes(30)));
    assertThat(first.path("startedAt").isNull()).isTrue();

    JsonNode done = page.path("remediations").get(0);
    assertThat(done.path("state").asText()).isEqualTo("succeeded");
    assertThat(done.has("expiresAt")).as("only what awaits approval expires").isFalse();
    assertThat(done.path("attempts").asInt()).isEqualTo(1);
    assertThat(done.path("startedAt").isTextual()).isTrue();
    assertThat(done.path("finishedAt").isTextual()).isTrue();
    assertThat(done.path("error").isNull()).isTrue();
    assertThat(app.get("/api/v1/remediations", OPERATOR).body()).doesNotContain("hunter2");
  }

  @Test
  void pendingListsWhatAwaitsApprovalAndEveryStateAndRuleFilters() throws Exception {
    assertThat(ids(get("/api/v1/remediations?state=pending"))).containsExactly(held.get(2), held.get(1),
        held.get(0));
    assertThat(ids(get("/api/v1/remediations?state=awaiting_approval"))).containsExactly(held.get(2), held.get(1),
        held.get(0));
    assertThat(ids(get("/api/v1/remediations?state=succeeded"))).containsExactly(ran);
    assertThat(ids(get("/api/v1/remediations?state=queued"))).as("nothing waits for a worker").isEmpty();
    assertThat(ids(get("/api/v1/remediations?state=expired"))).isEmpty();
    assertThat(ids(get("/api/v1/remediations?rule=restart-disk"))).containsExactly(ran);
    assertThat(ids(get("/api/v1/remediations?rule=hold-load&state=succeeded"))).isEmpty();
    assertThat(ids(get("/api/v1/remediations?rule=no-such-rule"))).isEmpty();
  }

  @Test
  void pagesFollowTheCursorUntilTheLastOne() throws Exception {
    JsonNode first = get("/api/v1/remediations?state=pending&limit=2");
    assertThat(ids(first)).containsExactly(held.get(2), held.get(1));
    assertThat(first.path("nextBefore").asLong()).isEqualTo(held.get(1));

    JsonNode second = get("/api/v1/remediations?state=pending&limit=2&before=" + held.get(1));
    assertThat(ids(second)).containsExactly(held.get(0));
    assertThat(second.path("nextBefore").isNull()).isTrue();

    assertThat(ids(get("/api/v1/remediations?limit=500"))).hasSize(4);
  }

  @Test
  void oneRemediationComesWithItsTimelineOldestFirstAndWhatItsActionReported() throws Exception {
    JsonNode one = get("/api/v1/remediations/" + ran);

    assertThat(one.path("id").asLong()).isEqualTo(ran);
    assertThat(one.path("state").asText()).isEqualTo("succeeded");
    assertThat(one.path("alert").path("fingerprint").asText()).isEqualTo("d1");
    List<String> kinds = new ArrayList<>();
    List<Long> eventIds = new ArrayList<>();
    one.path("timeline").forEach(event -> {
      kinds.add(event.path("kind").asText());
      eventIds.add(event.path("id").asLong());
    });
    assertThat(kinds).containsSubsequence("guard", "decided", "started", "succeeded");
    assertThat(kinds).last().isEqualTo("succeeded");
    assertThat(eventIds).isSorted();
    assertThat(kinds).hasSize(Integer.parseInt(app.rows("select count(*) from audit_event where remediation_id = ?",
        ran).get(0)));
    assertThat(one.path("result").path("exit_status").asInt()).isZero();
    assertThat(one.path("result").path("output").asText()).contains("restarted d1");

    JsonNode awaiting = get("/api/v1/remediations/" + held.get(0));
    assertThat(awaiting.path("expiresAt").isTextual()).isTrue();
    assertThat(awaiting.path("result").isNull()).as("nothing ran").isTrue();
    assertThat(app.get("/api/v1/remediations/" + held.get(0), OPERATOR).body()).doesNotContain("hunter2");
  }

  @Test
  void badParametersAreRefusedNamingTheParameterAndAnUnknownIdIsNotFound() throws Exception {
    assertRefused("/api/v1/remediations?limit=0", 400, "limit", "positive integer");
    assertRefused("/api/v1/remediations?limit=501", 400, "limit", "1-500");
    assertRefused("/api/v1/remediations?before=x", 400, "before", "positive integer");
    assertRefused("/api/v1/remediations?state=done", 400, "state", "pending (awaiting approval), queued");
    assertRefused("/api/v1/remediations?sort=asc", 400, "sort", "unknown parameter");
    assertRefused("/api/v1/remediations/987654", 404, "id", "no remediation with id 987654");
    assertRefused("/api/v1/remediations/-3", 400, "id", "positive integer");
  }

  @Test
  void readingNeedsTheViewerRole() {
    assertThat(app.get("/api/v1/remediations", null).status()).isEqualTo(401);
    assertThat(app.get("/api/v1/remediations", "Bearer wrong").status()).isEqualTo(401);
    assertThat(app.get("/api/v1/remediations", WEBHOOK).status()).isEqualTo(403);
    assertThat(app.get("/api/v1/remediations/" + ran, WEBHOOK).status()).isEqualTo(403);
    assertThat(app.get("/api/v1/remediations/" + ran, OPERATOR).status()).isEqualTo(200);
  }

  private static void assertRefused(String path, int status, String field, String reason) throws Exception {
    Answer answer = app.get(path, OPERATOR);
    assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(status);
    JsonNode error = JSON.readTree(answer.body());
    assertThat(error.path("field").asText()).as(path).isEqualTo(field);
    assertThat(error.path("reason").asText()).as(path).contains(reason);
  }
}
