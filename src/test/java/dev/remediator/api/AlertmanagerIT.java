package dev.remediator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.remediator.testing.AlertmanagerProcess;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.TestDatabase;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Alertmanager 0.25 as the client: an alert posted to its API is routed to remediator's
 * webhook with a bearer token, stored in PostgreSQL, and its rule's action runs; resolving it
 * reaches remediator too.
 */
class AlertmanagerIT {
  private static final String TOKEN = "am-to-remediator";

  @RegisterExtension
  static final TestDatabase POSTGRES = new TestDatabase();

  @TempDir
  Path dir;

  @Test
  void alertPostedToAlertmanagerIsStoredAndItsRuleRuns() throws Exception {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    try (RunningApp app = RunningApp.start(dir, WebhookApiTest.rules(markers),
            Optional.of(POSTGRES.storeUrl()), Optional.of(TOKEN), Optional.empty(),
            false, Map.of());
         AlertmanagerProcess alertmanager = AlertmanagerProcess.builder(URI.create(app.url("/webhook")))
             .bearerToken(TOKEN).start()) {
      String startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
      alertmanager.postAlerts(alerts(startsAt, null));

      await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(markers.resolve("api-am")));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(app.rows(
          "select r.state, r.rule_name, a.alertname from remediation r join alert a on a.id = r.alert_id"))
          .containsExactly("succeeded | restart-api | HighErrorRate"));
      assertThat(app.rows("select receiver, status, actor from notification"))
          .containsExactly("remediator | firing | alertmanager@127.0.0.1");

      alertmanager.postAlerts(alerts(startsAt, Instant.now().toString()));

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
          app.rows("select status from alert order by id")).containsExactly("firing", "resolved"));
      assertThat(alertmanager.log()).doesNotContain("level=error");
    }
  }

  private static String alerts(String startsAt, String endsAt) {
    return """
        [{"labels": {"alertname": "HighErrorRate", "severity": "critical", "service": "api-am", "namespace": "prod"},
          "annotations": {"summary": "High error rate detected"},
          "startsAt": "%s"%s,
          "generatorURL": "http://prometheus:9090/graph"}]"""
        .formatted(startsAt, endsAt == null ? "" : ", \"endsAt\": \"" + endsAt + "\"");
  }
}
