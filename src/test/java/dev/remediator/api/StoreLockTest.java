package dev.remediator.api;

import static dev.remediator.api.WebhookApiTest.BEARER;
import static dev.remediator.api.WebhookApiTest.TOKEN;
import static dev.remediator.api.WebhookApiTest.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.RunningApp.Answer;
import dev.remediator.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL held by {@code LOCK TABLE notification IN ACCESS EXCLUSIVE MODE} from another
 * session: the webhook answers 503 within 2 s, {@code /-/ready} says why, and once the lock goes
 * the same process recovers and nothing is lost.
 */
class StoreLockTest {
  @RegisterExtension
  static final TestDatabase POSTGRES = new TestDatabase();
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void lockedTableAnswers503WithinTwoSecondsReportsNotReadyAndRecoversWithNothingLost() throws Exception {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    try (RunningApp app = RunningApp.start(dir, WebhookApiTest.rules(markers),
        Optional.of(POSTGRES.storeUrl()), Optional.of(TOKEN), Optional.empty(), false,
        Map.of())) {
      String before = alert("00000000000001f1", "lock-before", "2026-11-22T17:00:00Z");
      String during = alert("00000000000001f2", "lock-during", "2026-11-22T17:00:00Z");
      assertThat(app.post("/webhook", before, "application/json", BEARER).status()).isEqualTo(200);

      Connection locker = POSTGRES.connect();
      try {
        locker.setAutoCommit(false);
        try (Statement sql = locker.createStatement()) {
          sql.execute("LOCK TABLE notification IN ACCESS EXCLUSIVE MODE");
        }
        long started = System.nanoTime();
        Answer refused = app.post("/webhook", during, "application/json", BEARER);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(took).isLessThan(Duration.ofSeconds(2));
        assertThat(JSON.readTree(refused.body()).get("reason").asText())
            .isEqualTo("the store did not confirm within 1800 ms; not acknowledged, retry later");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
          Answer ready = app.get("/-/ready");
          assertThat(ready.status()).isEqualTo(503);
          assertThat(ready.body()).contains("intake requests have waited").contains("for the store (deadline 1800 ms)");
        });
      } finally {
        locker.rollback();
        locker.close();
      }

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(app.post("/webhook", during, "application/json", BEARER).status()).isEqualTo(200));
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(app.get("/-/ready").status()).isEqualTo(200));
      assertThat(app.rows("select fingerprint from alert where fingerprint in ('00000000000001f1', '00000000000001f2') "
          + "order by fingerprint")).containsExactly("00000000000001f1", "00000000000001f2");
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(app.rows(
          "select fingerprint, state from remediation where fingerprint in ('00000000000001f1', '00000000000001f2') "
              + "order by fingerprint"))
          .containsExactly("00000000000001f1 | succeeded", "00000000000001f2 | succeeded"));
    }
  }
}
