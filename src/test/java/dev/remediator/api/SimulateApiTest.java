package dev.remediator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.RunningApp.Answer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/simulate} through the real server: the candidate is checked first, then
 * run over the alerts the server received, counting its own decisions, not the live ones.
 */
class SimulateApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CANDIDATE = """
      targets:
        host: {kind: command}
      rules:
        - name: restart-api
          match: ['alertname="HighErrorRate"']
          action: command
          target: host
          with: {argv: ["/bin/true", "{{ labels.service }}"]}
          allow: {service: "[a-z0-9-]{1,63}"}
          cooldown: 15m
          group_by: [service]
      """;

  @TempDir
  Path dir;
  private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
  private RunningApp app;

  @BeforeEach
  void start() {
    app = RunningApp.withTokens(dir, ReplayApiTest.RULES, config -> config.withClock(clock));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  private Answer simulate(String query, String body) {
    return app.post("/api/v1/simulate" + query, body, "text/yaml", ReplayApiTest.OPERATOR);
  }

  @Test
  void aCandidateRunsOverTheAlertsReceivedInTheWindowCountingItsOwnDecisions() throws Exception {
    for (String startsAt : List.of("2026-11-22T09:59:00Z", "2026-11-22T10:04:00Z", "2026-11-22T10:19:00Z")) {
      Answer stored = app.post("/webhook",
          ReplayApiTest.payload(ReplayApiTest.firing("HighErrorRate", "api", startsAt)), "application/json",
          ReplayApiTest.WEBHOOK);
      assertThat(stored.status()).isEqualTo(200);
      clock.advance(Duration.ofMinutes(startsAt.endsWith("04:00Z") ? 15 : 5));
    }

    Answer answer = simulate("?since=1h", CANDIDATE);

    assertThat(answer.status()).isEqualTo(200);
    JsonNode report = JSON.readTree(answer.body());
    assertThat(report.path("source").asText()).isEqualTo("candidate");
    assertThat(report.path("alertsRead").asLong()).isEqualTo(3);
    assertThat(report.path("notSimulated").toString()).isEqualTo("[\"paused\",\"breaker\",\"promql\"]");
    JsonNode rule = report.path("rules").get(0);
    assertThat(rule.path("rule").asText()).isEqualTo("restart-api");
    assertThat(rule.path("matched").asLong()).isEqualTo(3);
    assertThat(rule.path("wouldAct").asLong()).isEqualTo(2);
    assertThat(rule.path("stoppedBy").toString()).isEqualTo("{\"cooldown\":1}");
    assertThat(rule.path("examples").path("cooldown").get(0).path("startsAt").asText())
        .isEqualTo("2026-11-22T10:04:00Z");
  }

  @Test
  void aCandidateWithProblemsIs400WithEachProblemAndItsLine() throws Exception {
    Answer answer = simulate("?since=7d", CANDIDATE.replace("cooldown: 15m", "cooldown: soon"));

    assertThat(answer.status()).isEqualTo(400);
    JsonNode error = JSON.readTree(answer.body());
    assertThat(error.path("field").asText()).isEqualTo("body");
    assertThat(error.path("reason").asText()).isEqualTo("candidate:10: rules[0].cooldown: not a valid duration "
        + "string: \"soon\" (use e.g. 90s, 15m, 1h30m)");
  }

  @Test
  void aMissingOrBadWindowIs400NamingIt() throws Exception {
    Answer missing = simulate("", CANDIDATE);
    Answer bad = simulate("?since=7d&until=tomorrow", CANDIDATE);

    assertThat(missing.status()).isEqualTo(400);
    assertThat(JSON.readTree(missing.body()).path("field").asText()).isEqualTo("since");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).path("field").asText()).isEqualTo("until");
    assertThat(JSON.readTree(bad.body()).path("reason").asText()).isEqualTo("until must be a duration back from now "
        + "(7d, 12h) or an RFC 3339 instant, but was \"tomorrow\"");
  }
}
