package dev.remediator.api;

import static dev.remediator.testing.RunningApp.OPERATOR;
import static dev.remediator.testing.RunningApp.WEBHOOK;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.testing.RunningApp;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/rules}: what an SRE sees of the rules in force, secrets masked, for viewers only. */
class RulesApiTest {
  private static final String RULES = """
      settings:
        max_actions: {count: 5, per: 10m}
      targets:
        host: {kind: command, timeout: 2m, concurrency: 2}
        oncall: {kind: webhook, url: "http://ops:s3cret@127.0.0.1:9/hook", format: slack}
      escalate_to: oncall
      rules:
        - name: restart-api
          match: ['alertname="HighErrorRate"', 'severity=~"critical|page"']
          action: restart
          target: host
          with: {argv: ["/bin/echo", "{{ labels.service }}"], timeout: 30s}
          allow: {service: "[a-z0-9-]{1,63}"}
          cooldown: 15m
          group_by: [service]
          max_actions: {count: 3, per: 1h}
          breaker: {open_for: 30m}
          ineffective_after: 3
          guard: {promql: 'sum(up{job="api"}) / count(up{job="api"})', expect: '>= 0.8'}
          verify: {http_get: {url: 'https://ops:pw@api.example.com/health', within: 2m}}
          silence_while_remediating: 15m
          on_interrupt: recheck
          max_fraction: 50%
          approval: required
          approval_ttl: 10m
      """;

  @TempDir
  static Path dir;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    app = RunningApp.withTokens(dir, RULES, config -> config.withViewerToken(Optional.of("viewer-token")));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void viewersSeeTheRulesInForceWithEverySafeguard() throws Exception {
    RunningApp.Answer answer = app.get("/api/v1/rules", "Bearer viewer-token");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode rules = new ObjectMapper().readTree(answer.body());
    assertThat(rules.path("maxActions").path("count").asInt()).isEqualTo(5);
    assertThat(rules.path("maxActions").path("per").asText()).isEqualTo("10m");
    assertThat(rules.path("escalateTo").asText()).isEqualTo("oncall");
    JsonNode rule = rules.path("rules").get(0);
    assertThat(rule.path("name").asText()).isEqualTo("restart-api");
    assertThat(rule.path("match").get(0).asText()).isEqualTo("alertname=\"HighErrorRate\"");
    assertThat(rule.path("match").get(1).asText()).isEqualTo("severity=~\"critical|page\"");
    assertThat(rule.path("with").path("argv").get(1).asText()).isEqualTo("{{ labels.service }}");
    assertThat(rule.path("allow").path("service").asText()).as("matched in full")
        .isEqualTo("^(?:[a-z0-9-]{1,63})$");
    assertThat(rule.path("cooldown").asText()).isEqualTo("15m");
    assertThat(rule.path("approval").asText()).isEqualTo("required");
    JsonNode safeguards = rule.path("safeguards");
    assertThat(safeguards.path("breaker").path("open_for").asText()).isEqualTo("30m");
    assertThat(safeguards.path("breaker").size()).isEqualTo(1);
    assertThat(safeguards.path("ineffectiveAfter").asInt()).isEqualTo(3);
    assertThat(safeguards.path("guard").path("expect").asText()).isEqualTo(">= 0.8");
    assertThat(safeguards.path("verify").path("kind").asText()).isEqualTo("http_get");
    assertThat(safeguards.path("verify").path("within").asText()).isEqualTo("2m");
    assertThat(safeguards.path("silenceWhileRemediating").asText()).isEqualTo("15m");
    assertThat(safeguards.path("approvalTtl").asText()).isEqualTo("10m");
    assertThat(safeguards.path("onInterrupt").asText()).isEqualTo("recheck");
    assertThat(safeguards.path("maxFraction").asDouble()).isEqualTo(0.5);
    assertThat(safeguards.path("escalateTo").isNull()).isTrue();
  }

  @Test
  void secretsInTargetsAndUrlsAreMasked() {
    String body = app.get("/api/v1/rules", OPERATOR).body();

    assertThat(body).doesNotContain("s3cret").doesNotContain("ops:pw")
        .contains("http://ops:***@127.0.0.1:9/hook").contains("https://ops:***@api.example.com/health");
  }

  @Test
  void theWebhookTokenMayNotReadRulesAndNoTokenIsUnauthorized() {
    assertThat(app.get("/api/v1/rules", WEBHOOK).status()).isEqualTo(403);
    assertThat(app.get("/api/v1/rules", null).status()).isEqualTo(401);
  }
}
