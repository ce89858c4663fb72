package dev.remediator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.testing.RunningApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The escalator as the server wires it: an alert whose remediation fails for good, with
 * {@code escalate_to} naming a Slack webhook (a MockWebServer), reaches that webhook once.
 */
class EscalationAppTest {
  @TempDir
  Path dir;

  @Test
  void aRemediationThatFailsForGoodIsEscalatedToTheWebhookOnce() throws Exception {
    try (MockWebServer slack = new MockWebServer()) {
      slack.enqueue(new MockResponse().setResponseCode(200).setBody("ok"));
      slack.start();
      String rules = """
          targets:
            deployer: {kind: command}
            oncall: {kind: webhook, url: "%s", format: slack}
          escalate_to: oncall
          rules:
            - name: restart-api
              match: ['alertname="Load"']
              action: command
              target: deployer
              with: {argv: ["/bin/false"]}
          """.formatted(slack.url("/services/T0/B0/s3cret"));
      try (RunningApp app = RunningApp.start(dir, rules, Optional.empty(), Optional.empty(), Optional.empty(), false,
          Map.of())) {
        assertThat(app.post("/webhook", LifecycleAppTest.alert("f1"), "application/json", null).status())
            .isEqualTo(200);

        RecordedRequest request = slack.takeRequest(30, TimeUnit.SECONDS);
        assertThat(request).as("the escalation reached the webhook").isNotNull();
        String text = new ObjectMapper().readTree(request.getBody().readUtf8()).path("text").asText();
        assertThat(text).contains("rule restart-api", "alert Load", "exited with status 1");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(app.rows("select kind, outcome from audit_event where kind = 'escalated'"))
                .containsExactly("escalated | escalated"));
        assertThat(app.rows("select count(*) from outbox where kind = 'escalate' and done_at is null"))
            .containsExactly("0");
        assertThat(slack.getRequestCount()).isEqualTo(1);
      }
    }
  }
}
