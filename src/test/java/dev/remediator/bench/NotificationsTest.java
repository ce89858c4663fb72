package dev.remediator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remediator.action.catalog.ActionCatalog;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Notification;
import dev.remediator.intake.PayloadParser;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.RulesLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NotificationsTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00.123Z"), ZoneOffset.UTC);

  private final PayloadParser parser = new PayloadParser();

  private List<Notification> parse(Notifications bodies, int count) {
    List<Notification> parsed = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      parsed.add(parser.parse(bodies.next()));
    }
    return parsed;
  }

  private static List<Alert> alerts(List<Notification> notifications) {
    return notifications.stream().flatMap(n -> n.alerts().stream()).toList();
  }

  @Test
  void bodiesAreVersion4PayloadsTheParserAcceptsWithTheAskedNumberOfFiringAlerts() {
    List<Notification> notifications = parse(new Notifications("0123abcd", 3, OptionalInt.empty(), CLOCK), 8);

    assertThat(notifications).allSatisfy(notification -> {
      assertThat(notification.version()).isEqualTo("4");
      assertThat(notification.status()).isEqualTo(AlertStatus.FIRING);
      assertThat(notification.alerts()).hasSize(3);
      assertThat(notification.commonLabels().get("alertname")).isEqualTo(notification.alerts().get(0).alertname());
    });
    assertThat(alerts(notifications)).allSatisfy(alert -> {
      assertThat(alert.status()).isEqualTo(AlertStatus.FIRING);
      assertThat(alert.endsAt()).isEmpty();
      assertThat(alert.startsAt()).isEqualTo(Instant.parse("2026-11-22T10:00:00.123Z"));
      assertThat(alert.labels().asMap()).containsKeys("alertname", "severity", "service", "namespace", "instance");
      assertThat(alert.annotations().asMap()).containsKeys("summary", "description", "runbook_url");
    });
  }

  @Test
  void freshFingerprintsAreAllDifferentAndStartWithTheRunId() {
    List<Alert> first = alerts(parse(new Notifications("0123abcd", 4, OptionalInt.empty(), CLOCK), 250));
    List<Alert> second = alerts(parse(new Notifications("89abcdef", 4, OptionalInt.empty(), CLOCK), 250));

    Set<String> fingerprints = new HashSet<>();
    first.forEach(alert -> fingerprints.add(alert.fingerprint()));
    assertThat(fingerprints).hasSize(1000).allSatisfy(fp -> assertThat(fp).matches("0123abcd[0-9a-f]{8}"));
    assertThat(second).allSatisfy(alert -> assertThat(alert.fingerprint()).startsWith("89abcdef"));
  }

  @Test
  void pooledFingerprintsRepeatWithTheSameStartAndLabelsButNeverTwiceInOneNotification() {
    List<Notification> notifications = parse(new Notifications("0123abcd", 5, OptionalInt.of(20), CLOCK), 100);

    Map<String, Alert> seen = new HashMap<>();
    for (Notification notification : notifications) {
      assertThat(notification.alerts()).extracting(Alert::fingerprint).doesNotHaveDuplicates();
      for (Alert alert : notification.alerts()) {
        Alert earlier = seen.putIfAbsent(alert.fingerprint(), alert);
        if (earlier != null) {
          assertThat(alert.labels()).isEqualTo(earlier.labels());
          assertThat(alert.startsAt()).isEqualTo(earlier.startsAt());
        }
      }
    }
    assertThat(seen.keySet()).hasSizeLessThanOrEqualTo(20)
        .allSatisfy(fp -> assertThat(fp).matches("0123abcd000000[01][0-9a-f]"));
    assertThat(alerts(notifications)).hasSize(500);
  }

  @Test
  void everyAlertKindIsSentAndMatchesAShippedRule() throws Exception {
    RuleSet shipped = new RulesLoader(ActionCatalog.specs(), Map.of()).load(Path.of("rules/remediation.yml"));

    List<Alert> alerts = alerts(parse(new Notifications("0123abcd", 1, OptionalInt.empty(), CLOCK), 8));

    assertThat(alerts).extracting(Alert::alertname).containsOnly("HighErrorRate", "WorkerQueueBacklog",
        "DatabaseConnectionPoolExhausted", "ErrorBudgetBurnRateCritical");
    assertThat(alerts).allSatisfy(alert -> assertThat(shipped.matching(alert.labels())).as(alert.alertname())
        .isNotEmpty());
  }

  @Test
  void aPoolSmallerThanANotificationIsRefused() {
    assertThatThrownBy(() -> new Notifications("0123abcd", 5, OptionalInt.of(4), CLOCK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a pool of 4 fingerprints cannot fill a notification of 5 different alerts");
  }

  @Test
  void newRunIdsAreEightHexDigits() {
    assertThat(Notifications.newRunId()).matches("[0-9a-f]{8}");
  }
}
