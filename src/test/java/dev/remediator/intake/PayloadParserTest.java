package dev.remediator.intake;

import static dev.remediator.intake.Payloads.ALERT;
import static dev.remediator.intake.Payloads.json;
import static dev.remediator.intake.Payloads.payload;
import static dev.remediator.intake.Payloads.sample;
import static dev.remediator.intake.Payloads.withAlert;
import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Fingerprint;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PayloadParserTest {
  private final PayloadParser parser = new PayloadParser();

  @Test
  void samplePayloadParsesWithEveryField() {
    Notification notification = parser.parse(sample("one"));

    Alert alert = new Alert(AlertStatus.FIRING,
        Labels.of("alertname", "HighErrorRate", "severity", "critical", "service", "api-1",
            "namespace", "prod", "instance", "10.0.1.1:8000", "job", "api"),
        Labels.of("summary", "High error rate detected",
            "description", "5xx ratio above 5% for 5m on api-1",
            "runbook_url", "https://runbooks.example.com/high-error-rate"),
        Instant.parse("2026-11-22T10:00:00Z"), Optional.empty(),
        "http://prometheus:9090/graph?g0.expr=rate%28http_requests_total%7Bstatus%3D~%225..%22%7D%5B5m%5D%29+%3E+0.05",
        "0000000000000001");
    assertThat(notification).isEqualTo(new Notification("4", "{}:{alertname=\"HighErrorRate\"}", 0,
        AlertStatus.FIRING, "remediator", Labels.of("alertname", "HighErrorRate"),
        Labels.of("alertname", "HighErrorRate", "severity", "critical"),
        Labels.of("summary", "High error rate detected"), "http://alertmanager:9093", Optional.empty(),
        List.of(alert)));
  }

  @Test
  void largerSamplePayloadsParseEveryAlert() {
    Notification ten = parser.parse(sample("ten"));
    Notification hundred = parser.parse(sample("hundred"));

    assertThat(ten.alerts()).hasSize(10);
    assertThat(hundred.alerts()).hasSize(100);
    assertThat(hundred.alerts()).allSatisfy(alert -> {
      assertThat(alert.status()).isEqualTo(AlertStatus.FIRING);
      assertThat(alert.alertname()).isEqualTo("HighErrorRate");
      assertThat(alert.endsAt()).isEmpty();
    });
    assertThat(hundred.alerts().get(99).fingerprint()).isEqualTo("0000000000000063");
    assertThat(hundred.alerts().get(99).labels().get("instance")).isEqualTo("10.0.99.99:8000");
  }

  @Test
  void notificationReasonIsMappedWhenPresent() {
    Notification notification = parser.parse(payload("'notification_reason': 'group_interval'", ALERT));

    assertThat(notification.notificationReason()).contains("group_interval");
  }

  @Test
  void notificationReasonIsEmptyWhenAbsentOrNull() {
    assertThat(parser.parse(payload("", ALERT)).notificationReason()).isEmpty();
    assertThat(parser.parse(payload("'notification_reason': null", ALERT)).notificationReason()).isEmpty();
  }

  @Test
  void zeroAbsentAndNullEndsAtAreAllEmpty() {
    String start = "'labels': {'alertname': 'A'}, 'startsAt': '2026-11-22T10:00:00Z'";

    assertThat(onlyAlert(withAlert(start + ", 'endsAt': '0001-01-01T00:00:00Z'")).endsAt()).isEmpty();
    assertThat(onlyAlert(withAlert(start + ", 'endsAt': '0001-01-01T00:00:00.000000000Z'")).endsAt()).isEmpty();
    assertThat(onlyAlert(withAlert(start)).endsAt()).isEmpty();
    assertThat(onlyAlert(withAlert(start + ", 'endsAt': null")).endsAt()).isEmpty();
  }

  @Test
  void realEndsAtIsKept() {
    Alert alert = onlyAlert(withAlert(
        "'status': 'resolved', 'labels': {'alertname': 'A'}, 'startsAt': '2026-11-22T10:00:00Z', 'endsAt': '2026-11-22T10:05:00Z'"));

    assertThat(alert.endsAt()).contains(Instant.parse("2026-11-22T10:05:00Z"));
    assertThat(alert.status()).isEqualTo(AlertStatus.RESOLVED);
  }

  @Test
  void timestampsWithOffsetsAndNanosecondsAreAccepted() {
    Alert alert = onlyAlert(withAlert("'labels': {'alertname': 'A'}, 'startsAt': '2026-11-22T11:00:00.123456789+01:00',"
        + " 'endsAt': '2026-11-22T04:30:00.5-05:30'"));

    assertThat(alert.startsAt()).isEqualTo(Instant.parse("2026-11-22T10:00:00.123456789Z"));
    assertThat(alert.endsAt()).contains(Instant.parse("2026-11-22T10:00:00.500Z"));
  }

  @Test
  void missingAlertStatusIsResolvedOnlyWhenItHasARealEndsAt() {
    String start = "'labels': {'alertname': 'A'}, 'startsAt': '2026-11-22T10:00:00Z'";

    assertThat(onlyAlert(withAlert(start)).status()).isEqualTo(AlertStatus.FIRING);
    assertThat(onlyAlert(withAlert(start + ", 'endsAt': '0001-01-01T00:00:00Z'")).status()).isEqualTo(AlertStatus.FIRING);
    assertThat(onlyAlert(withAlert(start + ", 'endsAt': '2026-11-22T10:05:00Z'")).status()).isEqualTo(AlertStatus.RESOLVED);
  }

  @Test
  void declaredAlertStatusWins() {
    Alert alert = onlyAlert(withAlert(
        "'status': 'firing', 'labels': {'alertname': 'A'}, 'startsAt': '2026-11-22T10:00:00Z', 'endsAt': '2026-11-22T10:05:00Z'"));

    assertThat(alert.status()).isEqualTo(AlertStatus.FIRING);
  }

  @Test
  void missingNotificationStatusIsFiringWhenAnyAlertFires() {
    String resolved = "{'labels': {'alertname': 'A'}, 'startsAt': '2026-11-22T10:00:00Z', 'endsAt': '2026-11-22T10:05:00Z'}";

    assertThat(parser.parse(payload("", resolved, ALERT)).status()).isEqualTo(AlertStatus.FIRING);
    assertThat(parser.parse(payload("", resolved, resolved)).status()).isEqualTo(AlertStatus.RESOLVED);
    assertThat(parser.parse(payload("")).status()).isEqualTo(AlertStatus.RESOLVED);
    assertThat(parser.parse(payload("'status': 'firing'")).status()).isEqualTo(AlertStatus.FIRING);
  }

  @Test
  void emptyAlertsArrayIsValid() {
    Notification notification = parser.parse(json("{'version': '4', 'alerts': []}"));

    assertThat(notification.alerts()).isEmpty();
  }

  @Test
  void absentOptionalFieldsTakeTheirDefaults() {
    Notification notification = parser.parse(payload("", ALERT));

    assertThat(notification.groupKey()).isEmpty();
    assertThat(notification.receiver()).isEmpty();
    assertThat(notification.externalURL()).isEmpty();
    assertThat(notification.truncatedAlerts()).isZero();
    assertThat(notification.groupLabels()).isEqualTo(Labels.EMPTY);
    assertThat(notification.commonLabels()).isEqualTo(Labels.EMPTY);
    assertThat(notification.commonAnnotations()).isEqualTo(Labels.EMPTY);
    Alert alert = notification.alerts().get(0);
    assertThat(alert.annotations()).isEqualTo(Labels.EMPTY);
    assertThat(alert.generatorURL()).isEmpty();
  }

  @Test
  void nullOptionalFieldsCountAsAbsent() {
    Notification notification = parser.parse(payload("'groupKey': null, 'truncatedAlerts': null, 'status': null,"
        + " 'groupLabels': null, 'commonAnnotations': null",
        "{'labels': {'alertname': 'A'}, 'annotations': null, 'startsAt': '2026-11-22T10:00:00Z', 'status': null,"
            + " 'generatorURL': null, 'fingerprint': null}"));

    assertThat(notification.groupKey()).isEmpty();
    assertThat(notification.status()).isEqualTo(AlertStatus.FIRING);
    assertThat(notification.alerts().get(0).annotations()).isEqualTo(Labels.EMPTY);
  }

  @Test
  void truncatedAlertsIsRead() {
    assertThat(parser.parse(payload("'truncatedAlerts': 7", ALERT)).truncatedAlerts()).isEqualTo(7);
  }

  @Test
  void missingOrEmptyFingerprintIsDerivedFromTheLabels() {
    Labels labels = Labels.of("alertname", "A", "service", "api-1");
    String start = "'labels': {'alertname': 'A', 'service': 'api-1'}, 'startsAt': '2026-11-22T10:00:00Z'";

    assertThat(onlyAlert(withAlert(start)).fingerprint()).isEqualTo(Fingerprint.of(labels));
    assertThat(onlyAlert(withAlert(start + ", 'fingerprint': ''")).fingerprint()).isEqualTo(Fingerprint.of(labels));
    assertThat(onlyAlert(withAlert(start + ", 'fingerprint': 'abc'")).fingerprint()).isEqualTo("abc");
  }

  @Test
  void unknownFieldsAreIgnoredAtEveryLevel() {
    Notification notification = parser.parse(payload("'future': {'deep': [1, 2, {'x': null}]}, 'flag': true",
        "{'labels': {'alertname': 'A'}, 'startsAt': '2026-11-22T10:00:00Z', 'silencedBy': ['s1'], 'value': 3.5}"));

    assertThat(notification.alerts()).singleElement()
        .satisfies(alert -> assertThat(alert.labels()).isEqualTo(Labels.of("alertname", "A")));
  }

  @Test
  void singleAlertParsesWithPathsRelativeToTheBody() {
    Alert alert = parser.parseAlert(parser.readTree(json(
        "{'labels': {'alertname': 'A'}, 'startsAt': '2026-11-22T10:00:00Z'}")), "");

    assertThat(alert.alertname()).isEqualTo("A");
    assertThat(alert.status()).isEqualTo(AlertStatus.FIRING);
  }

  @Test
  void oneParserServesConcurrentCallers() throws Exception {
    byte[] body = sample("hundred");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Notification>> results = pool.invokeAll(
          Collections.nCopies(64, () -> parser.parse(body)));
      for (Future<Notification> result : results) {
        assertThat(result.get().alerts()).hasSize(100);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private Alert onlyAlert(byte[] body) {
    return parser.parse(body).alerts().get(0);
  }
}
