package dev.remediator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay generations on PostgreSQL: an occurrence that ran is reported as such, a forced replay
 * is keyed as its next generation, and resolving the alert cancels every generation not started.
 */
class ReplayOnPostgresTest {
  @RegisterExtension
  static final TestDatabase postgres = new TestDatabase();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void aForcedReplayIsTheNextGenerationAndResolvingCancelsThemAll() throws Exception {
    try (RunningApp app = RunningApp.start(dir, ReplayApiTest.RULES, Optional.of(postgres.storeUrl()),
        Optional.of("hook-token"), Optional.of("operator-token"), false, Map.of(),
        config -> config.withClock(MutableClock.at("2026-11-22T10:05:00Z")))) {
      String firing = ReplayApiTest.payload(ReplayApiTest.firing("ErrorBudgetBurn", "api",
          "2026-11-22T10:00:00.123456Z"));
      String forced = firing.substring(0, firing.length() - 1) + ",\"force\":true,\"reason\":\"try again\"}";

      JsonNode first = rule(app, firing);
      JsonNode again = rule(app, firing);
      JsonNode second = rule(app, forced);

      assertThat(first.path("outcome").asText()).isEqualTo("awaiting_approval");
      assertThat(again.path("outcome").asText()).isEqualTo("already_ran");
      assertThat(again.path("remediationId").asLong()).isEqualTo(first.path("remediationId").asLong());
      assertThat(second.path("outcome").asText()).isEqualTo("awaiting_approval");
      assertThat(second.path("replayOf").asLong()).isEqualTo(first.path("remediationId").asLong());
      assertThat(app.rows("select replay_generation, to_char(starts_at at time zone 'UTC', 'HH24:MI:SS.US') "
          + "from remediation order by id")).containsExactly("0 | 10:00:00.123456", "1 | 10:00:00.123457");

      JsonNode resolved = JSON.readTree(app.post("/api/v1/replay", ReplayApiTest.payload(ReplayApiTest.alert(
          "ErrorBudgetBurn", "api", "2026-11-22T10:00:00.123456Z", "resolved")), "application/json",
          ReplayApiTest.OPERATOR).body());

      assertThat(resolved.path("alerts").get(0).path("rules").findValuesAsText("outcome"))
          .containsExactly("cancelled", "cancelled");
      assertThat(app.rows("select distinct state from remediation")).containsExactly("cancelled");
    }
  }

  private static JsonNode rule(RunningApp app, String body) throws Exception {
    RunningApp.Answer answer = app.post("/api/v1/replay", body, "application/json", ReplayApiTest.OPERATOR);
    assertThat(answer.status()).isEqualTo(200);
    return JSON.readTree(answer.body()).path("alerts").get(0).path("rules").get(0);
  }
}
