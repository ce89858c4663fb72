package dev.remediator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.alert.Fingerprint;
import dev.remediator.alert.Labels;
import dev.remediator.testing.AlertmanagerProcess;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.TestDatabase;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing dropped: a notification that says Alertmanager left alerts out has the rest of its
 * group fetched from the real Alertmanager, stored, and decided like the alerts it carried.
 */
class TruncatedGroupTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RULES = """
      settings: {dry_run: true}
      targets:
        deployer: {kind: command}
      rules:
        - name: restart-big-group
          match: ['alertname="BigGroup"']
          action: command
          target: deployer
          with: {argv: ["/bin/true", "{{ labels.instance }}"]}
          allow: {instance: "[a-z]"}
      """;

  @RegisterExtension
  static final TestDatabase POSTGRES = new TestDatabase();

  private static AlertmanagerProcess am;

  @TempDir
  Path dir;

  @BeforeAll
  static void startAlertmanager() {
    am = AlertmanagerProcess.builder(URI.create("http://127.0.0.1:9/webhook")).groupWait(Duration.ofMinutes(10)).start();
  }

  @AfterAll
  static void stopAlertmanager() {
    am.close();
  }

  @Test
  void theAlertsATruncatedNotificationLeftOutAreFetchedStoredAndDecidedInTheEmbeddedStore() throws Exception {
    fetchesTheGroup(Optional.empty(), "embedded");
  }

  @Test
  void theAlertsATruncatedNotificationLeftOutAreFetchedStoredAndDecidedOnPostgres() throws Exception {
    fetchesTheGroup(Optional.of(POSTGRES.storeUrl()), "postgres");
  }

  @Test
  void aGroupThatCannotBeFetchedIsAuditedAndTheNotificationStillDecided() throws Exception {
    URI nowhere;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      nowhere = URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
    Instant startsAt = Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MILLIS);
    try (RunningApp app = RunningApp.start(dir, RULES, Optional.empty(), Optional.empty(), Optional.empty(), false,
        Map.of(), config -> config.withAlertmanagerUrl(Optional.of(nowhere)))) {
      assertThat(app.post("/webhook", truncatedNotification("unreachable", startsAt).getBytes(StandardCharsets.UTF_8),
          Map.of()).status()).isEqualTo(200);

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(app.rows("select notification_id, outcome from audit_event where kind = 'group_fetch_failed'"))
              .containsExactly("1 | failed"));
      assertThat(app.rows("select detail from audit_event where kind = 'group_fetch_failed'")).singleElement()
          .asString().contains("/api/v2/alerts failed");
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(app.rows("select state from remediation")).containsExactly("dry_run"));
    }
  }

  /** Alertmanager holds alerts a, b and c of a group (told apart by {@code job}); the notification carries a only. */
  private void fetchesTheGroup(Optional<String> databaseUrl, String job) throws Exception {
    Instant startsAt = Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MILLIS);
    try (RunningApp app = RunningApp.start(dir, RULES, databaseUrl, Optional.empty(), Optional.empty(), false,
             Map.of(), config -> config.withAlertmanagerUrl(Optional.of(am.url())))) {
      List<Map<String, Object>> group = new ArrayList<>();
      for (String instance : List.of("a", "b", "c")) {
        group.add(Map.of("labels", labels(job, instance), "startsAt", startsAt.toString()));
      }
      am.postAlerts(JSON.writeValueAsString(group));

      RunningApp.Answer answer = app.post("/webhook", truncatedNotification(job, startsAt).getBytes(StandardCharsets.UTF_8),
          Map.of());
      assertThat(answer.status()).isEqualTo(200);

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(app.rows("select fingerprint from alert where decided_at is not null order by fingerprint"))
              .containsExactlyInAnyOrder(fingerprint(job, "a"), fingerprint(job, "b"), fingerprint(job, "c")));
      assertThat(app.rows("select notification_id from alert")).containsOnly("1");
      assertThat(app.rows("select state, count(*) from remediation group by state")).containsExactly("dry_run | 3");
      assertThat(app.rows("select notification_id, outcome from audit_event where kind = 'group_fetched'"))
          .containsExactly("1 | fetched");
      assertThat(app.rows("select detail from audit_event where kind = 'group_fetched'")).singleElement().asString()
          .contains("\"fetched\":3").contains("\"stored\":2").contains("\"receiver\":\"remediator\"")
          .contains(fingerprint(job, "b")).contains(fingerprint(job, "c"));
    }
  }

  private static Map<String, String> labels(String job, String instance) {
    return Map.of("alertname", "BigGroup", "job", job, "instance", instance);
  }

  private static String fingerprint(String job, String instance) {
    return Fingerprint.of(Labels.of(labels(job, instance)));
  }

  /** What Alertmanager sends with {@code max_alerts: 1} for the group of {@code job}: alert a, and two left out. */
  private static String truncatedNotification(String job, Instant startsAt) throws Exception {
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("status", "firing");
    alert.put("labels", labels(job, "a"));
    alert.put("annotations", Map.of());
    alert.put("startsAt", startsAt.toString());
    alert.put("endsAt", "0001-01-01T00:00:00Z");
    alert.put("generatorURL", "");
    alert.put("fingerprint", fingerprint(job, "a"));
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("receiver", AlertmanagerProcess.RECEIVER);
    payload.put("status", "firing");
    payload.put("alerts", List.of(alert));
    payload.put("groupLabels", Map.of("alertname", "BigGroup", "job", job));
    payload.put("commonLabels", labels(job, "a"));
    payload.put("commonAnnotations", Map.of());
    payload.put("externalURL", "http://alertmanager.example:9093");
    payload.put("version", "4");
    payload.put("groupKey", "{}:{alertname=\"BigGroup\", job=\"" + job + "\"}");
    payload.put("truncatedAlerts", 2);
    return JSON.writeValueAsString(payload);
  }
}
