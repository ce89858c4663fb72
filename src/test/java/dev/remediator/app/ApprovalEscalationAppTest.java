package dev.remediator.app;

import static dev.remediator.testing.RunningApp.OPERATOR;
import static dev.remediator.testing.RunningApp.WEBHOOK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.RunningApp.Answer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approvals as the server wires them, with {@code escalate_to} naming a Slack webhook (a
 * MockWebServer): the approval request reaches Slack with the link and the call that approves;
 * an approval over the API runs the action once; a resolved alert cancels what awaits approval;
 * and an approval nobody gives expires, is escalated, and can no longer be given.
 */
class ApprovalEscalationAppTest {
  private static final String EXTERNAL_URL = "https://remediator.example.com";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  private Path markers;
  private final MockWebServer slack = new MockWebServer();
  private RunningApp app;

  @BeforeEach
  void startSlack() throws IOException {
    markers = Files.createDirectory(dir.resolve("markers"));
    slack.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse().setResponseCode(200).setBody("ok");
      }
    });
    slack.start();
  }

  @AfterEach
  void stop() throws IOException {
    if (app != null) {
      app.close();
    }
    slack.shutdown();
  }

  private void start(UnaryOperator<ServeConfig> adjust) {
    String rules = """
        targets:
          host: {kind: command}
          oncall: {kind: webhook, url: "%s", format: slack}
        rules:
          - name: restart-api
            match: ['alertname="Load"']
            action: command
            target: host
            approval: required
            approval_ttl: 10m
            escalate_to: oncall
            with: {argv: ["/usr/bin/touch", "%s/{{ labels.id }}"]}
            allow: {id: "[a-z0-9]{1,8}"}
        """.formatted(slack.url("/services/T0/B0/s3cret"), markers);
    app = RunningApp.withTokens(dir, rules, adjust);
  }

  private static String alert(String id, String status) {
    return """
        {"version":"4","groupKey":"g","truncatedAlerts":0,"status":"%2$s","receiver":"remediator",
         "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://alertmanager:9093",
         "alerts":[{"status":"%2$s","labels":{"alertname":"Load","id":"%1$s"},"annotations":{},
         "startsAt":"2026-11-22T10:00:00Z","endsAt":"%3$s","generatorURL":"","fingerprint":"%1$s"}]}"""
        .formatted(id, status, status.equals("firing") ? "0001-01-01T00:00:00Z" : "2026-11-22T10:05:00Z");
  }

  /** Posts a firing alert and waits until its remediation awaits approval; returns the remediation id. */
  private long awaitingApproval(String id) {
    assertThat(app.post("/webhook", alert(id, "firing"), "application/json", WEBHOOK).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        app.rows("select state from remediation where fingerprint = ?", id).equals(List.of("awaiting_approval")));
    return Long.parseLong(app.rows("select id from remediation where fingerprint = ?", id).get(0));
  }

  private String nextSlackText() throws Exception {
    RecordedRequest request = slack.takeRequest(30, TimeUnit.SECONDS);
    assertThat(request).as("a message reached Slack").isNotNull();
    assertThat(request.getPath()).isEqualTo("/services/T0/B0/s3cret");
    return JSON.readTree(request.getBody().readUtf8()).path("text").asText();
  }

  private Answer approve(long id) {
    return app.post("/api/v1/remediations/" + id + "/approve", "{\"reason\": \"looked at the graphs\"}",
        "application/json", OPERATOR);
  }

  @Test
  void theApprovalRequestReachesSlackWithItsLinkAndTheApprovedActionRunsOnce() throws Exception {
    start(config -> config.withExternalUrl(Optional.of(EXTERNAL_URL + "/")));
    long id = awaitingApproval("a1");

    String text = nextSlackText();
    assertThat(text).startsWith("[remediator] approval needed: rule restart-api wants to run command on target host"
        + " for alert Load (fingerprint a1)")
        .contains(EXTERNAL_URL + "/#/remediations/" + id,
            "curl -X POST -H \"Authorization: Bearer $REMEDIATOR_OPERATOR_TOKEN\" " + EXTERNAL_URL
                + "/api/v1/remediations/" + id + "/approve");
    assertThat(Files.exists(markers.resolve("a1"))).as("nothing runs before approval").isFalse();

    assertThat(approve(id).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        app.rows("select state from remediation where id = ?", id).equals(List.of("succeeded")));

    assertThat(Files.exists(markers.resolve("a1"))).as("the approved command ran").isTrue();
    assertThat(app.rows("select count(*) from audit_event where remediation_id = ? and kind = 'started'", id))
        .containsExactly("1");
    assertThat(approve(id).status()).as("approved once").isEqualTo(409);
    assertThat(app.rows("select kind from audit_event where remediation_id = ? and kind like 'escalat%'", id))
        .containsExactly("escalated");
    assertThat(slack.getRequestCount()).as("only the request was sent").isEqualTo(1);
  }

  @Test
  void aResolvedAlertCancelsWhatAwaitsItsApproval() throws Exception {
    start(UnaryOperator.identity());
    long id = awaitingApproval("r1");
    assertThat(nextSlackText()).contains("approval needed", "/#/remediations/" + id,
        "POST /api/v1/remediations/" + id + "/approve with the operator token");

    assertThat(app.post("/webhook", alert("r1", "resolved"), "application/json", WEBHOOK).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        app.rows("select state from remediation where id = ?", id).equals(List.of("cancelled")));

    assertThat(app.rows("select kind, outcome, detail from audit_event where remediation_id = ? and kind = 'cancelled'",
        id)).containsExactly("cancelled | cancelled | {\"reason\":\"alert resolved before the action started\"}");
    Answer late = approve(id);
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.body()).contains("is cancelled");
    assertThat(Files.exists(markers.resolve("r1"))).isFalse();
  }

  @Test
  void anApprovalNobodyGivesExpiresIsEscalatedAndCanNoLongerBeGiven() throws Exception {
    MutableClock clock = MutableClock.at("2026-11-22T10:00:05Z");
    start(config -> config.withClock(clock).withExternalUrl(Optional.of(EXTERNAL_URL)));
    long id = awaitingApproval("e1");
    assertThat(nextSlackText()).contains("approval needed");

    clock.advance(Duration.ofMinutes(10));
    await().atMost(Duration.ofSeconds(60)).until(() ->
        app.rows("select state from remediation where id = ?", id).equals(List.of("expired")));

    assertThat(nextSlackText()).startsWith("[remediator] approval expired, remediation not run: rule restart-api"
        + " would have run command on target host for alert Load (fingerprint e1); nobody approved it before"
        + " 2026-11-22T10:10:05Z.").endsWith("Details: " + EXTERNAL_URL + "/#/remediations/" + id);
    Answer late = approve(id);
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.body()).contains("is expired, not awaiting_approval");
    assertThat(app.rows("select count(*) from audit_event where remediation_id = ? and kind = 'approval_expired'",
        id)).containsExactly("1");
    assertThat(Files.exists(markers.resolve("e1"))).isFalse();
  }
}
