package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.remediator.action.ActionRegistry;
import dev.remediator.action.ActionResult;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import dev.remediator.audit.AuditLog;
import dev.remediator.intake.IncomingNotification;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.Target;
import dev.remediator.rules.TargetKind;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.Database;
import dev.remediator.store.NewRemediation;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationStore;
import dev.remediator.store.StoredAlert;
import dev.remediator.testing.InMemoryStore;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.Rows;
import dev.remediator.testing.RecordingAction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkerTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final MutableClock clock = MutableClock.at(T0);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final RecordingAction action = new RecordingAction("command");
  private final RemediationStore remediations = new RemediationStore();
  private RuleSet ruleSet = new RuleSet("test.yml", false, Optional.empty(),
      Map.of("deployer", new Target("deployer", TargetKind.COMMAND, Map.of())), List.of(), Optional.empty());
  private Database database;
  private Worker worker;

  @BeforeEach
  void open() {
    database = InMemoryStore.open();
    worker = new Worker(database, remediations, new ActionRegistry(List.of(action)), () -> ruleSet, new AuditLog(),
        clock, new RemediatorMetrics(meters), "worker-1", 2, () -> { });
  }

  @AfterEach
  void close() {
    worker.shutdown(Duration.ofSeconds(5));
    database.close();
  }

  private long queued(String target, Alert alert) {
    Notification notification = new Notification("4", "g", 0, alert.status(), "remediator", null, null, null, "",
        Optional.empty(), List.of(alert));
    database.inTransaction(c -> new NotificationStore(new AuditLog()).store(c,
        List.of(new IncomingNotification(notification, "{}", "alertmanager@test", T0))));
    StoredAlert stored = database.inTransaction(c -> new AlertInbox().undecided(c, 10)).get(0);
    database.inTransaction(c -> {
      new AlertInbox().markDecided(c, List.of(stored), T0);
      return null;
    });
    return database.inTransaction(c -> remediations.insert(c, new NewRemediation("restart-api", stored, "command",
        target, stored.alert().fingerprint(), RemediationState.PENDING, "all guards passed",
        Map.of("argv", List.of("/usr/bin/restart", "api-1")), true, T0))).getAsLong();
  }

  private static Alert firing() {
    return new Alert(AlertStatus.FIRING, Labels.of("alertname", "HighErrorRate", "service", "api-1"), Labels.EMPTY, T0,
        Optional.empty(), "", null);
  }

  private List<String> rows(String sql) {
    return Rows.of(database, sql);
  }


  private void awaitState(long id, String state) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(rows("select state from remediation where id = " + id)).containsExactly(state));
  }

  @Test
  void claimedRemediationRunsItsActionWithTheDecidedParamsAndIsRecorded() {
    long id = queued("deployer", firing());

    assertThat(worker.claimAndStart()).isEqualTo(1);
    awaitState(id, "succeeded");

    assertThat(action.requests()).singleElement().satisfies(request -> {
      assertThat(request.remediationId()).isEqualTo(id);
      assertThat(request.params()).isEqualTo(Map.of("argv", List.of("/usr/bin/restart", "api-1")));
      assertThat(request.target().name()).isEqualTo("deployer");
      assertThat(request.alert().labels().get("service")).isEqualTo("api-1");
    });
    assertThat(rows("select output, attempts, claimed_by from remediation")).containsExactly("done | 1 | worker-1");
    assertThat(rows("select kind, actor, outcome from audit_event where remediation_id is not null order by id"))
        .containsExactly("started | worker-1 | started", "succeeded | worker-1 | succeeded");
    assertThat(meters.get("remediator_actions").tag("outcome", "succeeded").counter().count()).isEqualTo(1.0);
  }

  @Test
  void permanentFailureIsRecordedWithItsReasonAndNotRetried() {
    action.thenAnswer(new ActionResult.Permanent("exited with status 2: no such deployment", null));
    long id = queued("deployer", firing());

    worker.claimAndStart();
    awaitState(id, "failed");

    assertThat(rows("select error from remediation")).containsExactly("exited with status 2: no such deployment");
    clock.advance(Duration.ofHours(1));
    assertThat(worker.claimAndStart()).isZero();
  }

  @Test
  void retryableFailureIsRetriedWithBackoffThenGivenUp() {
    action.thenAnswer(new ActionResult.Retryable("HTTP 503", null))
        .thenAnswer(new ActionResult.Retryable("HTTP 503", null))
        .thenAnswer(new ActionResult.Retryable("HTTP 503", null));
    long id = queued("deployer", firing());

    worker.claimAndStart();
    awaitState(id, "pending");
    assertThat(rows("select not_before from remediation")).singleElement().asString().contains("10:00:10");
    assertThat(worker.claimAndStart()).as("not due before its backoff").isZero();

    clock.advance(Duration.ofSeconds(10));
    worker.claimAndStart();
    await().atMost(Duration.ofSeconds(10)).until(() -> action.requests().size() == 2);
    awaitState(id, "pending");
    clock.advance(Duration.ofSeconds(20));
    worker.claimAndStart();
    awaitState(id, "failed");

    assertThat(action.requests()).hasSize(3);
    assertThat(rows("select error, attempts from remediation"))
        .containsExactly("HTTP 503 (gave up after 3 attempts) | 3");
    assertThat(rows("select count(*) from audit_event where kind = 'retry_scheduled'")).containsExactly("2");
  }

  @Test
  void alertResolvedBeforeTheClaimIsCancelledInsteadOfRun() {
    long id = queued("deployer", firing());
    Alert resolved = new Alert(AlertStatus.RESOLVED, firing().labels(), Labels.EMPTY, T0, Optional.of(T0.plusSeconds(9)),
        "", null);
    Notification notification = new Notification("4", "g", 0, AlertStatus.RESOLVED, "remediator", null, null, null, "",
        Optional.empty(), List.of(resolved));
    database.inTransaction(c -> new NotificationStore(new AuditLog()).store(c,
        List.of(new IncomingNotification(notification, "{}", "alertmanager@test", T0))));

    assertThat(worker.claimAndStart()).isZero();

    assertThat(rows("select state from remediation where id = " + id)).containsExactly("cancelled");
    assertThat(action.requests()).isEmpty();
  }

  @Test
  void targetRemovedByAReloadFailsTheRemediationClearly() {
    long id = queued("gone", firing());

    worker.claimAndStart();
    awaitState(id, "failed");

    assertThat(rows("select error from remediation")).containsExactly("target gone is no longer defined in test.yml");
  }

  @Test
  void shutdownInterruptsAnActionThatDoesNotFinishAndRecordsIt() {
    action.block();
    long id = queued("deployer", firing());
    worker.claimAndStart();
    await().atMost(Duration.ofSeconds(10)).until(() -> action.requests().size() == 1);

    worker.shutdown(Duration.ofMillis(100));

    awaitState(id, "interrupted");
    assertThat(rows("select error from remediation")).containsExactly("interrupted: remediator is shutting down");
  }

  @Test
  void workLeftRunningByADeadProcessIsInterruptedAtRecovery() {
    long id = queued("deployer", firing());
    database.inTransaction(c -> remediations.claimDue(c, database.dialect(), "dead-worker", T0, Duration.ofMinutes(5), 1));

    assertThat(worker.recoverExpired()).isZero();
    clock.advance(Duration.ofMinutes(6));
    assertThat(worker.recoverExpired()).isEqualTo(1);

    assertThat(rows("select state from remediation where id = " + id)).containsExactly("interrupted");
    assertThat(rows("select kind from audit_event where remediation_id = " + id)).containsExactly("interrupted");
  }
}
