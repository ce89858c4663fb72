package dev.remediator.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The store's behaviour, run against every supported store: PostgreSQL and embedded SQLite each
 * have a subclass that supplies a freshly migrated database.
 */
abstract class StoreContract {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  final NotificationStore notifications = new NotificationStore();
  final RemediationStore remediations = new RemediationStore();
  final RemediationQueue queue = new RemediationQueue();
  final OutboxStore outbox = new OutboxStore();
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
    return counted(Ledger.Budget.LIVE, rule, since);
  }

  long counted(Ledger.Budget budget, String rule, Instant since) {
    return database().inTransaction(c -> {
      Ledger ledger = new RemediationLedger(c, budget);
      return rule == null ? ledger.countAllSince(since, 100) : ledger.countSince(rule, since, 100);
    });
  }

  Optional<Instant> lastCounted(String rule, String group) {
    return lastCounted(Ledger.Budget.LIVE, rule, group);
  }

  Optional<Instant> lastCounted(Ledger.Budget budget, String rule, String group) {
    return database().inTransaction(c -> new RemediationLedger(c, budget).lastActed(rule, group));
  }

  List<ClaimedRemediation> claim(Instant now) {
    return database().inTransaction(c -> queue.claimDue(c, database().dialect(), "w1", now, Duration.ofMinutes(5), 10));
  }

  List<RemediationQueue.Expired> sweep(Instant at) {
    return database().inTransaction(c -> queue.interruptExpired(c, database().dialect(), at, at, "lease expired", 10));
  }

  NewRemediation decision(StoredAlert alert, String rule, RemediationState state, Instant at) {
    return new NewRemediation(rule, alert, "command", "deployer", alert.alert().fingerprint(), state, "test",
        Map.of("argv", List.of("/bin/true")), state == RemediationState.PENDING, at, Ledger.Budget.LIVE,
        state == RemediationState.AWAITING_APPROVAL ? at.plus(Duration.ofMinutes(30)) : null);
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
    assertThat(stored.get(0).isNew()).containsExactly(true, true);
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
    assertThat(again).extracting(StoredNotification::isNew).containsExactly(List.of(false), List.of(true));
  }

  @Test
  void duplicatesInsideOneBatchAreDetected() {
    List<StoredNotification> stored = store(incoming(alert("a1", AlertStatus.FIRING, T0)),
        incoming(alert("a1", AlertStatus.FIRING, T0)));

    assertThat(stored).extracting(StoredNotification::newAlerts).containsExactly(1, 0);
  }

  @Test
  void theFirstOfManyCopiesInOneBatchIsTheNewOne() {
    List<IncomingNotification> batch = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      batch.add(incoming(alert("b" + (i % 3), AlertStatus.FIRING, T0), alert("b" + (i % 3), AlertStatus.FIRING, T0)));
    }

    List<StoredNotification> stored = store(batch.toArray(IncomingNotification[]::new));

    assertThat(stored.subList(0, 3)).extracting(StoredNotification::isNew).containsOnly(List.of(true, false));
    assertThat(stored.subList(3, 20)).extracting(StoredNotification::isNew).containsOnly(List.of(false, false));
    assertThat(count("select count(*) from alert")).isEqualTo(3);
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
    long capped = database().inTransaction(c ->
        new RemediationLedger(c, Ledger.Budget.LIVE).countSince("r1", T0.minusSeconds(1), 1));
    assertThat(capped).as("counting stops at the cap").isEqualTo(1);
    assertThat(lastCounted("r1", "a2")).contains(T0.plusSeconds(600));
    assertThat(lastCounted("r1", "a3")).isEmpty();
  }

  @Test
  void dryRunDecisionsCountInTheirOwnBudgetWithLiveOnesAndNeverInTheLiveOne() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0), alert("a2", AlertStatus.FIRING, T0),
        alert("a3", AlertStatus.FIRING, T0)));
    List<StoredAlert> alerts = database().inTransaction(c -> inbox.undecided(c, 10));
    database().inTransaction(c -> {
      remediations.insert(c, decision(alerts.get(0), "r1", RemediationState.PENDING, T0));
      remediations.insert(c, new NewRemediation("r1", alerts.get(1), "command", "deployer", "a2",
          RemediationState.DRY_RUN, "would run", Map.of(), true, T0.plusSeconds(60), Ledger.Budget.DRY_RUN));
      remediations.insert(c, new NewRemediation("r1", alerts.get(2), "command", "deployer", "a3",
          RemediationState.SKIPPED, "would skip", Map.of(), false, T0.plusSeconds(120), Ledger.Budget.DRY_RUN));
      return null;
    });

    assertThat(counted(Ledger.Budget.LIVE, "r1", T0.minusSeconds(1))).as("live counts only live").isEqualTo(1);
    assertThat(counted(Ledger.Budget.LIVE, null, T0.minusSeconds(1))).isEqualTo(1);
    assertThat(lastCounted(Ledger.Budget.LIVE, "r1", "a2")).isEmpty();
    assertThat(counted(Ledger.Budget.DRY_RUN, "r1", T0.minusSeconds(1))).as("dry run counts both").isEqualTo(2);
    assertThat(counted(Ledger.Budget.DRY_RUN, null, T0.minusSeconds(1))).isEqualTo(2);
    assertThat(counted(Ledger.Budget.DRY_RUN, "r1", T0.plusSeconds(1))).isEqualTo(1);
    long capped = database().inTransaction(c ->
        new RemediationLedger(c, Ledger.Budget.DRY_RUN).countSince("r1", T0.minusSeconds(1), 1));
    assertThat(capped).as("counting stops at the cap").isEqualTo(1);
    assertThat(lastCounted(Ledger.Budget.DRY_RUN, "r1", "a2")).contains(T0.plusSeconds(60));
    assertThat(lastCounted(Ledger.Budget.DRY_RUN, "r1", "a1")).contains(T0);
    assertThat(lastCounted(Ledger.Budget.DRY_RUN, "r1", "a3")).as("a dry run live would skip").isEmpty();
  }

  @Test
  void onlyAlertsStillUndecidedUnderTheLockAreKept() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0), alert("a2", AlertStatus.FIRING, T0),
        alert("a3", AlertStatus.FIRING, T0)));
    List<StoredAlert> read = database().inTransaction(c -> inbox.undecided(c, 10));
    database().inTransaction(c -> {
      inbox.markDecided(c, List.of(read.get(1)), T0);
      return null;
    });

    List<StoredAlert> kept = database().inTransaction(c -> {
      inbox.lock(c);
      return inbox.stillUndecided(c, read);
    });

    assertThat(kept).containsExactly(read.get(0), read.get(2));
    List<StoredAlert> none = database().inTransaction(c -> inbox.stillUndecided(c, List.of()));
    assertThat(none).isEmpty();
  }

  @Test
  void alertThatFailedToBeDecidedLeavesTheInboxWithItsError() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    StoredAlert alert = onlyUndecided();

    database().inTransaction(c -> {
      inbox.markFailed(c, alert, T0, "IllegalStateException: boom");
      return null;
    });

    long undecided = database().inTransaction(inbox::countUndecided);
    assertThat(undecided).isZero();
    assertThat(count("select count(*) from alert where decide_error = 'IllegalStateException: boom' "
        + "and decided_at is not null")).isEqualTo(1);
  }

  @Test
  void claimTakesDueWorkOnceAndMarksItRunning() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    StoredAlert alert = onlyUndecided();
    long id = database().inTransaction(c -> remediations.insert(c, decision(alert, "r1", RemediationState.PENDING, T0)))
        .getAsLong();

    List<ClaimedRemediation> claimed = database().inTransaction(c ->
        queue.claimDue(c, database().dialect(), "w1", T0.plusSeconds(1), Duration.ofMinutes(5), 10));
    List<ClaimedRemediation> again = database().inTransaction(c ->
        queue.claimDue(c, database().dialect(), "w2", T0.plusSeconds(2), Duration.ofMinutes(5), 10));

    assertThat(claimed).singleElement().satisfies(c -> {
      assertThat(c.id()).isEqualTo(id);
      assertThat(c.attempt()).isEqualTo(1);
      assertThat(c.params()).isEqualTo(Map.of("argv", List.of("/bin/true")));
      assertThat(c.alert().alert()).isEqualTo(alert.alert());
    });
    assertThat(again).isEmpty();
    assertThat(count("select count(*) from remediation where state = 'running' and claimed_by = 'w1'")).isEqualTo(1);
  }

  List<ClaimedRemediation> claimWithBulkheads(String worker, Instant now, int concurrency) {
    return database().inTransaction(c -> queue.claimDue(c, database().dialect(), worker, now,
        claimed -> Duration.ofMinutes(5), 10, target -> concurrency));
  }

  void queueOn(StoredAlert alert, String rule, String target) {
    database().inTransaction(c -> remediations.insert(c, new NewRemediation(rule, alert, "command", target,
        alert.alert().fingerprint(), RemediationState.PENDING, "test", Map.of("argv", List.of("/bin/true")), true, T0)));
  }

  @Test
  void bulkheadHoldsBackWorkOnAFullTargetWithoutUsingAnAttempt() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    StoredAlert alert = onlyUndecided();
    queueOn(alert, "first", "deployer");
    queueOn(alert, "second", "deployer");
    queueOn(alert, "third", "deployer");
    queueOn(alert, "elsewhere", "cluster");

    List<ClaimedRemediation> claimed = claimWithBulkheads("w1", T0, 1);

    assertThat(claimed).extracting(ClaimedRemediation::rule).containsExactly("first", "elsewhere");
    assertThat(claimWithBulkheads("w2", T0.plusSeconds(1), 1)).as("both targets are full").isEmpty();
    assertThat(count("select count(*) from remediation where state = 'pending' and attempts = 0")).isEqualTo(2);

    database().inTransaction(c -> queue.finish(c, claimed.get(0).id(), "w1", RemediationState.SUCCEEDED,
        T0.plusSeconds(2), Duration.ofSeconds(2), "ok", null));

    assertThat(claimWithBulkheads("w2", T0.plusSeconds(3), 1)).extracting(ClaimedRemediation::rule)
        .as("the freed slot goes to the oldest held-back work").containsExactly("second");
  }

  @Test
  void bulkheadOfTwoLetsTwoRunOnOneTarget() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    StoredAlert alert = onlyUndecided();
    queueOn(alert, "first", "deployer");
    queueOn(alert, "second", "deployer");
    queueOn(alert, "third", "deployer");

    assertThat(claimWithBulkheads("w1", T0, 2)).extracting(ClaimedRemediation::rule).containsExactly("first", "second");
    assertThat(claimWithBulkheads("w2", T0, 2)).isEmpty();
  }

  @Test
  void rescheduledWorkIsNotDueBeforeItsTime() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    StoredAlert alert = onlyUndecided();
    long id = database().inTransaction(c -> remediations.insert(c, decision(alert, "r1", RemediationState.PENDING, T0)))
        .getAsLong();
    database().inTransaction(c -> queue.claimDue(c, database().dialect(), "w1", T0, Duration.ofMinutes(5), 10));
    database().inTransaction(c -> {
      queue.reschedule(c, id, "w1", T0.plusSeconds(60), "HTTP 503");
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

    List<RemediationRef> cancelled = database().inTransaction(c ->
        remediations.cancelUnstarted(c, "a1", T0, T0.plusSeconds(5), "alert resolved"));

    assertThat(cancelled).extracting(RemediationRef::rule)
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
    database().inTransaction(c -> queue.claimDue(c, database().dialect(), "w1", T0, Duration.ofMinutes(1), 10));
    database().inTransaction(c -> {
      remediations.insert(c, decision(alerts.get(1), "r1", RemediationState.PENDING, T0));
      return null;
    });
    database().inTransaction(c -> queue.claimDue(c, database().dialect(), "w1", T0, Duration.ofMinutes(10), 10));

    List<RemediationQueue.Expired> interrupted = database().inTransaction(c ->
        queue.interruptExpired(c, database().dialect(), T0.plusSeconds(120), T0.plusSeconds(120), "lease expired", 10));

    assertThat(interrupted).extracting(e -> e.remediation().rule()).containsExactly("r1");
    assertThat(interrupted).extracting(RemediationQueue.Expired::claimedBy).containsExactly("w1");
    assertThat(count("select count(*) from remediation where state = 'interrupted'")).isEqualTo(1);
    assertThat(count("select count(*) from remediation where state = 'running'")).isEqualTo(1);
  }

  @Test
  void renewalExtendsOnlyTheClaimsTheWorkerStillHolds() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    StoredAlert alert = onlyUndecided();
    long id = database().inTransaction(c -> remediations.insert(c, decision(alert, "r1", RemediationState.PENDING, T0)))
        .getAsLong();
    database().inTransaction(c -> queue.claimDue(c, database().dialect(), "w1", T0, Duration.ofSeconds(90), 10));

    List<Long> lostByOther = database().inTransaction(c -> queue.renew(c, "w2", List.of(id), T0.plusSeconds(600)));
    List<Long> lostByOwner = database().inTransaction(c -> queue.renew(c, "w1", List.of(id), T0.plusSeconds(150)));

    assertThat(lostByOther).containsExactly(id);
    assertThat(lostByOwner).isEmpty();
    assertThat(sweep(T0.plusSeconds(100))).as("the renewed lease runs to 150 s").isEmpty();
    assertThat(sweep(T0.plusSeconds(151))).hasSize(1);
  }

  @Test
  void aClaimInterruptedBySweepIsNeitherFinishedNorRescheduledNorRenewed() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    StoredAlert alert = onlyUndecided();
    long id = database().inTransaction(c -> remediations.insert(c, decision(alert, "r1", RemediationState.PENDING, T0)))
        .getAsLong();
    database().inTransaction(c -> queue.claimDue(c, database().dialect(), "w1", T0, Duration.ofSeconds(90), 10));
    sweep(T0.plusSeconds(91));

    boolean finished = database().inTransaction(c ->
        queue.finish(c, id, "w1", RemediationState.SUCCEEDED, T0.plusSeconds(95), Duration.ofSeconds(95), "ok", null));
    boolean rescheduled = database().inTransaction(c -> queue.reschedule(c, id, "w1", T0.plusSeconds(200), "HTTP 503"));

    assertThat(finished).isFalse();
    assertThat(rescheduled).isFalse();
    List<Long> lost = database().inTransaction(c -> queue.renew(c, "w1", List.of(id), T0.plusSeconds(300)));
    assertThat(lost).containsExactly(id);
    assertThat(count("select count(*) from remediation where state = 'interrupted' and error = 'lease expired'"))
        .isEqualTo(1);
  }

  @Test
  void outboxHandsOutDueFollowUpsOnceUntilTheirLeaseRunsOut() {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    StoredAlert alert = onlyUndecided();
    long id = database().inTransaction(c -> remediations.insert(c, decision(alert, "r1", RemediationState.PENDING, T0)))
        .getAsLong();
    database().inTransaction(c -> {
      outbox.add(c, FollowUp.of(id, FollowUp.Kind.ESCALATE, T0, Map.of("error", "exit 2")), T0);
      outbox.add(c, FollowUp.of(id, FollowUp.Kind.VERIFY, T0.plusSeconds(60), Map.of()), T0);
      return null;
    });

    List<FollowUp> first = database().inTransaction(c ->
        outbox.claimDue(c, database().dialect(), FollowUp.Kind.ESCALATE, "w1", T0, Duration.ofSeconds(30), 10));
    List<FollowUp> whileLeased = database().inTransaction(c ->
        outbox.claimDue(c, database().dialect(), FollowUp.Kind.ESCALATE, "w2", T0.plusSeconds(10), Duration.ofSeconds(30), 10));
    List<FollowUp> verifyEarly = database().inTransaction(c ->
        outbox.claimDue(c, database().dialect(), FollowUp.Kind.VERIFY, "w1", T0.plusSeconds(59), Duration.ofSeconds(30), 10));
    List<FollowUp> afterLease = database().inTransaction(c ->
        outbox.claimDue(c, database().dialect(), FollowUp.Kind.ESCALATE, "w2", T0.plusSeconds(31), Duration.ofSeconds(30), 10));

    assertThat(first).singleElement().satisfies(f -> {
      assertThat(f.remediationId()).isEqualTo(id);
      assertThat(f.kind()).isEqualTo(FollowUp.Kind.ESCALATE);
      assertThat(f.dueAt()).isEqualTo(T0);
      assertThat(f.payload()).isEqualTo(Map.of("error", "exit 2"));
    });
    assertThat(whileLeased).isEmpty();
    assertThat(verifyEarly).as("not due before its time").isEmpty();
    assertThat(afterLease).extracting(FollowUp::id).containsExactly(first.get(0).id());
    long followUp = first.get(0).id();
    boolean doneByLoser = database().inTransaction(c -> outbox.done(c, followUp, "w1", T0.plusSeconds(32)));
    boolean doneByHolder = database().inTransaction(c -> outbox.done(c, followUp, "w2", T0.plusSeconds(32)));
    List<FollowUp> afterDone = database().inTransaction(c ->
        outbox.claimDue(c, database().dialect(), FollowUp.Kind.ESCALATE, "w3", T0.plusSeconds(120), Duration.ofSeconds(30), 10));
    assertThat(doneByLoser).as("w1 lost it to w2").isFalse();
    assertThat(doneByHolder).isTrue();
    assertThat(afterDone).isEmpty();
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
