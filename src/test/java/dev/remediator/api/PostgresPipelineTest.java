package dev.remediator.api;

import dev.remediator.engine.GuardChain;
import java.util.stream.Stream;
import java.util.List;
import java.util.Collections;
import static dev.remediator.api.WebhookApiTest.BEARER;
import static dev.remediator.api.WebhookApiTest.TOKEN;
import static dev.remediator.api.WebhookApiTest.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.RunningApp.Answer;
import dev.remediator.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline on the real PostgreSQL, including the store going away and coming back. */
class PostgresPipelineTest {
  @RegisterExtension
  static final TestDatabase POSTGRES = new TestDatabase();
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  Path markers;
  RunningApp app;

  @BeforeEach
  void start() throws IOException {
    markers = Files.createDirectories(dir.resolve("markers"));
    app = RunningApp.start(dir, WebhookApiTest.rules(markers),
        Optional.of(POSTGRES.storeUrl()), Optional.of(TOKEN), Optional.empty(), false,
        Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    allowConnections(true);
    app.close();
  }

  Answer webhook(String body) {
    return app.post("/webhook", body, "application/json", BEARER);
  }

  @Test
  void identicalSecondPostCreatesNoSecondRemediation() throws IOException {
    String body = alert("00000000000000f1", "api-pg", "2026-11-22T15:00:00Z");

    Answer first = webhook(body);
    Answer second = webhook(body);

    assertThat(JSON.readTree(first.body()).get("alerts")).isEqualTo(JSON.readTree("{\"total\":1,\"new\":1,\"duplicate\":0}"));
    assertThat(JSON.readTree(second.body()).get("alerts")).isEqualTo(JSON.readTree("{\"total\":1,\"new\":0,\"duplicate\":1}"));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(markers.resolve("api-pg")));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        app.rows("select state, attempts from remediation where fingerprint = '00000000000000f1'"))
        .containsExactly("succeeded | 1"));
    assertThat(app.rows("select kind from audit_event where fingerprint = '00000000000000f1' and kind <> 'duplicate' "
        + "order by id")).containsExactlyElementsOf(
        Stream.of(List.of("received", "matched"), Collections.nCopies(GuardChain.ORDER.size(), "guard"),
            List.of("decided", "started", "succeeded")).flatMap(List::stream).toList());
    assertThat(app.rows("select kind, outcome from audit_event where fingerprint = '00000000000000f1' "
        + "and kind = 'duplicate'")).containsExactly("duplicate | firing");
  }

  @Test
  void storeOutageAnswers503AndNotReadyThenRecoversWithNothingLost() throws Exception {
    assertThat(webhook(alert("00000000000000f2", "api-before", "2026-11-22T16:00:00Z")).status()).isEqualTo(200);

    allowConnections(false);
    Answer during = webhook(alert("00000000000000f3", "api-during", "2026-11-22T16:00:00Z"));
    Answer ready = app.get("/-/ready");

    assertThat(during.status()).isEqualTo(503);
    assertThat(JSON.readTree(during.body()).get("reason").asText()).contains("retry later");
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.body()).contains("is not reachable");

    allowConnections(true);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
        assertThat(webhook(alert("00000000000000f3", "api-during", "2026-11-22T16:00:00Z")).status()).isEqualTo(200));
    assertThat(app.get("/-/ready").status()).isEqualTo(200);
    assertThat(app.rows("select fingerprint from alert where fingerprint in ('00000000000000f2', '00000000000000f3') "
        + "order by fingerprint")).containsExactly("00000000000000f2", "00000000000000f3");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(app.rows(
        "select fingerprint, state from remediation where fingerprint in ('00000000000000f2', '00000000000000f3') "
            + "order by fingerprint"))
        .containsExactly("00000000000000f2 | succeeded", "00000000000000f3 | succeeded"));
  }

  /** Closes the database to new connections and ends the open ones, as a failover would. */
  private static void allowConnections(boolean allow) throws Exception {
    try (Connection admin = TestDatabase.admin(); Statement sql = admin.createStatement()) {
      sql.execute("ALTER DATABASE " + POSTGRES.name() + " ALLOW_CONNECTIONS " + allow);
      if (!allow) {
        sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + POSTGRES.name() + "'");
      }
    }
  }
}
