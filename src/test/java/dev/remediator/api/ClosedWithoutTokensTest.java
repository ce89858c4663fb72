package dev.remediator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.testing.RunningApp;
import dev.remediator.testing.RunningApp.Answer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without viewer and operator tokens the reading endpoints are closed, not open, and say which variable opens them. */
class ClosedWithoutTokensTest {
  @TempDir
  Path dir;

  @Test
  void viewerEndpointsNeedAViewerOrOperatorToken() {
    try (RunningApp app = RunningApp.start(dir, "rules: []\n", Optional.empty(), Optional.of("hook-token"),
        Optional.empty(), false, Map.of())) {
      for (String authorization : new String[] {"Bearer hook-token", "Bearer anything", ""}) {
        Answer answer = app.send("GET", "/api/v1/audit",
            authorization.isEmpty() ? Map.of() : Map.of("Authorization", authorization));
        assertThat(answer.status()).as(authorization).isIn(401, 403);
        assertThat(answer.status()).isEqualTo(authorization.equals("Bearer hook-token") ? 403 : 401);
      }
      assertThat(app.get("/api/v1/audit").body()).contains("set REMEDIATOR_VIEWER_TOKEN or REMEDIATOR_OPERATOR_TOKEN");
    }
  }

  @Test
  void theViewerTokenAloneOpensReadingButNotOperating() {
    try (RunningApp app = RunningApp.start(dir, "rules: []\n", Optional.empty(), Optional.empty(), Optional.empty(),
        false, Map.of(), config -> config.withViewerToken(Optional.of("view-token")))) {
      assertThat(app.send("GET", "/api/v1/audit", Map.of("Authorization", "Bearer view-token")).status())
          .isEqualTo(200);
      Answer reload = app.send("POST", "/-/reload", Map.of("Authorization", "Bearer view-token"));
      assertThat(reload.status()).isEqualTo(403);
      Answer anonymous = app.send("POST", "/-/reload", Map.of());
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(anonymous.body()).contains("set REMEDIATOR_OPERATOR_TOKEN");
    }
  }
}
