package dev.remediator.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import dev.remediator.audit.AuditLog;
import dev.remediator.intake.IncomingNotification;
import dev.remediator.intake.StoredNotification;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The store's behaviour, run against every supported store: PostgreSQL and embedded H2 each
 * have a subclass that supplies a freshly migrated database.
 */
abstract class StoreContract {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  final AuditLog audit = new AuditLog();
  final NotificationStore notifications = new NotificationStore(audit);
  final RemediationStore remediations = new RemediationStore();
  final AlertInbox inbox = new AlertInbox();

  abstract Database database();

  static Alert alert(String fingerprint, AlertStatus status, Instant startsAt) {
    return new Alert(status, Labels.of("alertname", "HighErrorRate", "service", "api-" + fingerprint),
        Labels.of("summary", "High error rate"), startsAt,
        status == AlertStatus.RESOLVED ? Optional.of(startsAt.plusSeconds(300)) : Optional.empty(),
        "http://prometheus:9090/graph", fingerprint);
  }

  static IncomingNotification incoming(Alert... alerts) {
    Notification notification = new Notification("4", "{}:{alertname=\"HighErrorRate\"}", 0, alerts[0].status(),
        "remediator", Labels.of("alertname", "HighErrorRate"), Labels.of("alertname", "HighErrorRate"), Labels.EMPTY,
        "http://alertmanager:9093", Optional.empty(), List.of(alerts));
    return new IncomingNotification(notification, "{\"version\":\"4\"}", "alertmanager@127.0.0.1", T0);
  }

  List<StoredNotification> store(IncomingNotification... batch) {
    return database().inTransaction(c -> notifications.store(c, List.of(batch)));
  }

  long count(String sql, Object... args) {
    return database().inTransaction(c -> {
      try (PreparedStatement select = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          select.setObject(i + 1, args[i]);
        }
        try (ResultSet row = select.executeQuery()) {
          row.next();
          return row.getLong(1);
        }
      }
    });
  }

  StoredAlert onlyUndecided() {
    List<StoredAlert> undecided = database().inTransaction(c -> inbox.undecided(c, 10));
    assertThat(undecided).hasSize(1);
    return undecided.get(0);
  }

  long counted(String rule, Instant since) {
    return database().inTransaction(c -> remediations.countedSince(c, rule, since, 100));
  }

  Optional<Instant> lastCounted(String rule, String group) {
    return database().inTransaction(c -> remediations.lastCounted(c, rule, group));
  }

  List<ClaimedRemediation> claim(Instant now) {
    return database().inTransaction(c -> remediations.claimDue(c, database().dialect(), "w1", now, Duration.ofMinutes(5), 10));
  }

  NewRemediation decision(StoredAlert alert, String rule, RemediationState state, Instant at) {
    return new NewRemediation(rule, alert, "command", "deployer", alert.alert().fingerprint(), state, "test",
        Map.of("argv", List.of("/bin/true")), state == RemediationState.PENDING, at);
  }

  @Test
  void storesNotificationWithItsAlertsAndReportsThemNew() {
    List<StoredNotification> stored = store(incoming(alert("a1", AlertStatus.FIRING, T0), alert("a2", AlertStatus.FIRING, T0)));

    assertThat(stored).singleElement().satisfies(s -> {
      assertThat(s.newAlerts()).isEqualTo(2);
      assertThat(s.duplicateAlerts()).isZero();
    });
    assertThat(count("select count(*) from notification")).isEqualTo(1);
    assertThat(count("select count(*) from alert")).isEqualTo(2);
    assertThat(count("select count(*) from audit_event where kind = 'received'")).isEqualTo(2);
  }

  @Test
  void storedAlertReadsBackWithEveryField() {
    Alert original = alert("f00d", AlertStatus.RESOLVED, T0);
    store(incoming(original));

    StoredAlert stored = onlyUndecided();

    assertThat(stored.alert()).isEqualTo(original);
  }

  @Test
  void sameOccurrenceAgainIsADuplicateButItsResolutionIsNew() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));

    List<StoredNotification> again = store(incoming(alert("a1", AlertStatus.FIRING, T0)),
        incoming(alert("a1", AlertStatus.RESOLVED, T0)));

    assertThat(again).extracting(StoredNotification::newAlerts).containsExactly(0, 1);
    assertThat(again).extracting(StoredNotification::duplicateAlerts).containsExactly(1, 0);
    assertThat(count("select count(*) from notification")).isEqualTo(3);
    assertThat(count("select count(*) from alert")).isEqualTo(2);
    assertThat(count("select count(*) from audit_event where kind = 'duplicate'")).isEqualTo(1);
  }

  @Test
  void duplicatesInsideOneBatchAreDetected() {
    List<StoredNotification> stored = store(incoming(alert("a1", AlertStatus.FIRING, T0)),
        incoming(alert("a1", AlertStatus.FIRING, T0)));

    assertThat(stored).extracting(StoredNotification::newAlerts).containsExactly(1, 0);
  }

  @Test
  void newFiringOfTheSameAlertIsANewOccurrence() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));

    List<StoredNotification> later = store(incoming(alert("a1", AlertStatus.FIRING, T0.plusSeconds(3600))));

    assertThat(later.get(0).newAlerts()).isEqualTo(1);
  }

  @Test
  void notificationWithoutAlertsIsStored() {
    Notification empty = new Notification("4", "", 0, AlertStatus.FIRING, "remediator", null, null, null, "",
        Optional.empty(), List.of());
    List<StoredNotification> stored = database().inTransaction(c -> notifications.store(c,
        List.of(new IncomingNotification(empty, "{}", "test", T0))));

    assertThat(stored.get(0).newAlerts()).isZero();
    assertThat(count("select count(*) from notification")).isEqualTo(1);
  }

  @Test
  void secondDecisionForTheSameRuleAndOccurrenceIsRefused() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    StoredAlert alert = onlyUndecided();

    OptionalLong first = database().inTransaction(c -> remediations.insert(c, decision(alert, "r1", RemediationState.PENDING, T0)));
    OptionalLong second = database().inTransaction(c -> remediations.insert(c, decision(alert, "r1", RemediationState.PENDING, T0)));
    OptionalLong otherRule = database().inTransaction(c -> remediations.insert(c, decision(alert, "r2", RemediationState.PENDING, T0)));

    assertThat(first).isPresent();
    assertThat(second).isEmpty();
    assertThat(otherRule).isPresent();
    assertThat(count("select count(*) from remediation")).isEqualTo(2);
  }

  @Test
  void markedDecidedAlertsLeaveTheInbox() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    StoredAlert alert = onlyUndecided();

    database().inTransaction(c -> {
      inbox.lock(c);
      inbox.markDecided(c, List.of(alert), T0);
      return null;
    });

    List<StoredAlert> undecided = database().inTransaction(c -> inbox.undecided(c, 10));
    long count = database().inTransaction(inbox::countUndecided);
    assertThat(undecided).isEmpty();
    assertThat(count).isZero();
  }

  @Test
  void limitsCountOnlyDecisionsThatActWithinTheWindow() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0), alert("a2", AlertStatus.FIRING, T0),
        alert("a3", AlertStatus.FIRING, T0)));
    List<StoredAlert> alerts = database().inTransaction(c -> inbox.undecided(c, 10));
    database().inTransaction(c -> {
      remediations.insert(c, decision(alerts.get(0), "r1", RemediationState.PENDING, T0));
      remediations.insert(c, decision(alerts.get(1), "r1", RemediationState.PENDING, T0.plusSeconds(600)));
      remediations.insert(c, decision(alerts.get(2), "r1", RemediationState.SKIPPED, T0.plusSeconds(700)));
      return null;
    });

    assertThat(counted("r1", T0.minusSeconds(1))).isEqualTo(2);
    assertThat(counted("r1", T0.plusSeconds(1))).isEqualTo(1);
    assertThat(counted(null, T0.minusSeconds(1))).isEqualTo(2);
    assertThat(counted("other", T0.minusSeconds(1))).isZero();
    long capped = database().inTransaction(c -> remediations.countedSince(c, "r1", T0.minusSeconds(1), 1));
    assertThat(capped).as("counting stops at the cap").isEqualTo(1);
    assertThat(lastCounted("r1", "a2")).contains(T0.plusSeconds(600));
    assertThat(lastCounted("r1", "a3")).isEmpty();
  }

  @Test
  void claimTakesDueWorkOnceAndMarksItRunning() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    StoredAlert alert = onlyUndecided();
    long id = database().inTransaction(c -> remediations.insert(c, decision(alert, "r1", RemediationState.PENDING, T0)))
        .getAsLong();

    List<ClaimedRemediation> claimed = database().inTransaction(c ->
        remediations.claimDue(c, database().dialect(), "w1", T0.plusSeconds(1), Duration.ofMinutes(5), 10));
    List<ClaimedRemediation> again = database().inTransaction(c ->
        remediations.claimDue(c, database().dialect(), "w2", T0.plusSeconds(2), Duration.ofMinutes(5), 10));

    assertThat(claimed).singleElement().satisfies(c -> {
      assertThat(c.id()).isEqualTo(id);
      assertThat(c.attempt()).isEqualTo(1);
      assertThat(c.params()).isEqualTo(Map.of("argv", List.of("/bin/true")));
      assertThat(c.alert().alert()).isEqualTo(alert.alert());
    });
    assertThat(again).isEmpty();
    assertThat(count("select count(*) from remediation where state = 'running' and claimed_by = 'w1'")).isEqualTo(1);
  }

  @Test
  void rescheduledWorkIsNotDueBeforeItsTime() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    StoredAlert alert = onlyUndecided();
    long id = database().inTransaction(c -> remediations.insert(c, decision(alert, "r1", RemediationState.PENDING, T0)))
        .getAsLong();
    database().inTransaction(c -> remediations.claimDue(c, database().dialect(), "w1", T0, Duration.ofMinutes(5), 10));
    database().inTransaction(c -> {
      remediations.reschedule(c, id, T0.plusSeconds(60), "HTTP 503");
      return null;
    });

    assertThat(claim(T0.plusSeconds(59))).isEmpty();
    assertThat(claim(T0.plusSeconds(60))).singleElement().satisfies(c -> assertThat(c.attempt()).isEqualTo(2));
  }

  @Test
  void resolutionCancelsOnlyWhatHasNotStarted() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    StoredAlert alert = onlyUndecided();
    database().inTransaction(c -> {
      remediations.insert(c, decision(alert, "pending-rule", RemediationState.PENDING, T0));
      remediations.insert(c, decision(alert, "approval-rule", RemediationState.AWAITING_APPROVAL, T0));
      remediations.insert(c, decision(alert, "running-rule", RemediationState.PENDING, T0));
      return null;
    });
    database().inTransaction(c -> c.createStatement().executeUpdate(
        "update remediation set state = 'running' where rule_name = 'running-rule'"));

    List<RemediationStore.Cancelled> cancelled = database().inTransaction(c ->
        remediations.cancelUnstarted(c, "a1", T0, T0.plusSeconds(5), "alert resolved"));

    assertThat(cancelled).extracting(RemediationStore.Cancelled::rule)
        .containsExactlyInAnyOrder("pending-rule", "approval-rule");
    assertThat(count("select count(*) from remediation where state = 'cancelled' and not counts")).isEqualTo(2);
    assertThat(count("select count(*) from remediation where state = 'running'")).isEqualTo(1);
  }

  @Test
  void expiredLeasesAreInterruptedAndLiveOnesAreNot() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0), alert("a2", AlertStatus.FIRING, T0)));
    List<StoredAlert> alerts = database().inTransaction(c -> inbox.undecided(c, 10));
    database().inTransaction(c -> {
      remediations.insert(c, decision(alerts.get(0), "r1", RemediationState.PENDING, T0));
      return null;
    });
    database().inTransaction(c -> remediations.claimDue(c, database().dialect(), "w1", T0, Duration.ofMinutes(1), 10));
    database().inTransaction(c -> {
      remediations.insert(c, decision(alerts.get(1), "r1", RemediationState.PENDING, T0));
      return null;
    });
    database().inTransaction(c -> remediations.claimDue(c, database().dialect(), "w1", T0, Duration.ofMinutes(10), 10));

    List<Long> interrupted = database().inTransaction(c ->
        remediations.interruptExpired(c, T0.plusSeconds(120), T0.plusSeconds(120), "lease expired"));

    assertThat(interrupted).hasSize(1);
    assertThat(count("select count(*) from remediation where state = 'interrupted'")).isEqualTo(1);
    assertThat(count("select count(*) from remediation where state = 'running'")).isEqualTo(1);
  }

  @Test
  void statesAreCounted() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    StoredAlert alert = onlyUndecided();
    database().inTransaction(c -> {
      remediations.insert(c, decision(alert, "r1", RemediationState.PENDING, T0));
      remediations.insert(c, decision(alert, "r2", RemediationState.DRY_RUN, T0));
      return null;
    });

    Map<RemediationState, Long> byState = database().inTransaction(remediations::countByState);

    assertThat(byState).containsEntry(RemediationState.PENDING, 1L).containsEntry(RemediationState.DRY_RUN, 1L);
  }

  @Test
  void migratingAgainChangesNothing() {
    database().migrate();

    assertThat(count("select count(*) from decider_lock")).isEqualTo(1);
  }
}
