package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.action.Action;
import dev.remediator.action.ActionModule;
import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.action.SharedClients;
import dev.remediator.action.TargetClients;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditLog;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.resilience.Backoff;
import dev.remediator.resilience.Breakers;
import dev.remediator.resilience.RetryPolicy;
import dev.remediator.rules.ActionSpec;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.BreakerStore;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.Database;
import dev.remediator.store.FollowUp;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.NewRemediation;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.PauseStore;
import dev.remediator.store.RemediationQueue;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationStore;
import dev.remediator.store.StoredAlert;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import dev.remediator.testing.InMemoryStore;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.RecordingAction;
import dev.remediator.testing.Rows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class WorkerTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final MutableClock clock = MutableClock.at(T0);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final RecordingAction action = new RecordingAction("command");
  private final RemediationStore remediations = new RemediationStore();
  private final RemediationQueue queue = new RemediationQueue();
  private volatile RuleSet ruleSet = new RuleSet("test.yml", false, Optional.empty(),
      Map.of("deployer", new Target("deployer", TargetKind.COMMAND, Map.of())), List.of(), Optional.empty());
  private Database database;
  private Worker worker;

  private KillSwitch killSwitch;

  private KillSwitch killSwitch() {
    return killSwitch;
  }

  @BeforeEach
  void open() {
    database = InMemoryStore.open();
    killSwitch = new KillSwitch(database, new PauseStore(), new AuditLog(), clock);
    worker = Worker.create(database, new TargetClients(List.of(action.module(TargetKind.COMMAND)),
        new SharedClients(new OkHttpClient(), new ObjectMapper(), Map.of()), () -> ruleSet), () -> ruleSet,
        new AuditLog(),
        clock, new RemediatorMetrics(meters), "worker-1", 2, () -> { }, killSwitch());
  }

  @AfterEach
  void close() {
    worker.shutdown(Duration.ofSeconds(5));
    database.close();
  }

  private long queued(String target, Alert alert) {
    Notification notification = new Notification("4", "g", 0, alert.status(), "remediator", null, null, null, "",
        Optional.empty(), List.of(alert));
    database.inTransaction(c -> new NotificationStore().store(c,
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
    return firing("api-1");
  }

  private static Alert firing(String service) {
    return new Alert(AlertStatus.FIRING, Labels.of("alertname", "HighErrorRate", "service", service), Labels.EMPTY, T0,
        Optional.empty(), "", null);
  }

  private void escalateTo(String target) {
    ruleSet = new RuleSet(ruleSet.source(), false, Optional.empty(), ruleSet.targets(), List.of(), Optional.of(target));
  }

  private OutcomeRecorder recorder() {
    return new OutcomeRecorder(database, queue, new OutboxStore(), new AuditLog(),
        new Breakers(new BreakerStore(), new AuditLog()), () -> ruleSet, clock,
        new RemediatorMetrics(meters), "worker-1", new RetryPolicy(Backoff.standard()));
  }

  private ClaimedRemediation claimAs(String workerId, Duration lease) {
    return database.inTransaction(c -> queue.claimDue(c, database.dialect(), workerId, clock.instant(), lease, 1))
        .get(0);
  }

  private List<String> rows(String sql, Object... args) {
    return Rows.of(database, sql, args);
  }


  private void awaitState(long id, String state) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(rows("select state from remediation where id = " + id)).containsExactly(state));
  }

  @Test
  void whilePausedNothingIsClaimedAndTheQueueRunsAfterTheResume() {
    long id = queued("deployer", firing());
    killSwitch.pause("operator@10.0.0.7", "deploy freeze", Optional.empty());

    assertThat(worker.claimAndStart()).isZero();
    clock.advance(Duration.ofMinutes(10));
    assertThat(worker.claimAndStart()).as("still paused after the cache has expired").isZero();
    assertThat(rows("select state, attempts from remediation where id = " + id)).containsExactly("pending | 0");
    assertThat(action.requests()).isEmpty();

    killSwitch.resume("operator@10.0.0.7");

    assertThat(worker.claimAndStart()).isEqualTo(1);
    awaitState(id, "succeeded");
    assertThat(action.requests()).hasSize(1);
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
  void whatTheActionFoundAndChangedGoesIntoTheOutcomeEvent() {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("found", 3);
    facts.put("terminated", List.of(101, 102));
    action.thenAnswer(new ActionResult.Succeeded("terminated 2 of 3", facts));
    long id = queued("deployer", firing());

    worker.claimAndStart();
    awaitState(id, "succeeded");

    assertThat(rows("select detail from audit_event where kind = 'succeeded'")).singleElement()
        .satisfies(detail -> assertThat(detail).contains("\"result\":{\"found\":3,\"terminated\":[101,102]}"));
  }

  @Test
  void permanentFailureIsRecordedWithItsReasonAndNotRetried() {
    action.thenAnswer(new ActionResult.Permanent("exited with status 2: no such deployment", null));
    long id = queued("deployer", firing());

    worker.claimAndStart();
    awaitState(id, "failed");

    assertThat(rows("select error from remediation")).containsExactly("exited with status 2: no such deployment");
    assertThat(rows("select count(*) from outbox")).as("no escalate_to, no escalation").containsExactly("0");
    clock.advance(Duration.ofHours(1));
    assertThat(worker.claimAndStart()).isZero();
  }

  @Test
  void retryableFailureIsRetriedWithBackoffThenGivenUp() {
    ActionResult.Retryable refused =
        new ActionResult.Retryable("connection refused", null, ActionResult.Reached.NOTHING);
    action.thenAnswer(refused).thenAnswer(refused).thenAnswer(refused);
    long id = queued("deployer", firing());

    worker.claimAndStart();
    awaitState(id, "pending");
    assertThat(Long.parseLong(rows("select detail from audit_event where kind = 'retry_scheduled'").get(0)
        .replaceAll(".*\"delayMs\":(\\d+).*", "$1"))).as("10s, jittered by at most 20%").isBetween(8_000L, 12_000L);
    assertThat(rows("select detail from audit_event where kind = 'retry_scheduled'").get(0)).contains("\"attempt\":1",
        "\"safeBecause\":\"the request never reached the target");
    assertThat(worker.claimAndStart()).as("not due before its backoff").isZero();

    clock.advance(Duration.ofSeconds(12));
    worker.claimAndStart();
    await().atMost(Duration.ofSeconds(10)).until(() -> action.requests().size() == 2);
    awaitState(id, "pending");
    clock.advance(Duration.ofSeconds(24));
    worker.claimAndStart();
    awaitState(id, "failed");

    assertThat(action.requests()).hasSize(3);
    assertThat(rows("select error, attempts from remediation"))
        .containsExactly("connection refused (gave up after 3 attempts) | 3");
    assertThat(rows("select count(*) from audit_event where kind = 'retry_scheduled'")).containsExactly("2");
  }

  @Test
  void idempotentFailureOfARestartIsNotRetriedButFailsAndSaysWhy() {
    ClaimedRemediation restart = new ClaimedRemediation(1, "restart-api", "restart", "cluster", Map.of(), 1,
        new StoredAlert(1, 1, firing()));

    OutcomeRecorder.Outcome outcome = recorder().outcome(restart, T0,
        new ActionResult.Retryable("PUT /restart answered HTTP 503", null, ActionResult.Reached.IDEMPOTENT_REQUEST),
        false);

    assertThat(outcome.kind()).isEqualTo(AuditEvent.Kind.FAILED);
    assertThat(outcome.retryAt()).isNull();
    assertThat(outcome.error()).isEqualTo("PUT /restart answered HTTP 503 (not retried: an idempotent request may"
        + " have reached the target; repeating it has the same effect, and restart is not repeated then)");
  }

  @Test
  void alertResolvedBeforeTheClaimIsCancelledInsteadOfRun() {
    long id = queued("deployer", firing());
    Alert resolved = new Alert(AlertStatus.RESOLVED, firing().labels(), Labels.EMPTY, T0, Optional.of(T0.plusSeconds(9)),
        "", null);
    Notification notification = new Notification("4", "g", 0, AlertStatus.RESOLVED, "remediator", null, null, null, "",
        Optional.empty(), List.of(resolved));
    database.inTransaction(c -> new NotificationStore().store(c,
        List.of(new IncomingNotification(notification, "{}", "alertmanager@test", T0))));

    assertThat(worker.claimAndStart()).isEqualTo(1);

    awaitState(id, "cancelled");
    assertThat(action.requests()).isEmpty();
    assertThat(rows("select error from remediation")).containsExactly("alert resolved before the action started");
    assertThat(rows("select kind, outcome from audit_event where remediation_id is not null order by id"))
        .containsExactly("started | started", "cancelled | cancelled");
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
    database.inTransaction(c -> queue.claimDue(c, database.dialect(), "dead-worker", T0, Duration.ofMinutes(5), 1));

    assertThat(worker.queue().sweepExpired()).isZero();
    clock.advance(Duration.ofMinutes(6));
    assertThat(worker.queue().sweepExpired()).isEqualTo(1);

    assertThat(rows("select state from remediation where id = " + id)).containsExactly("interrupted");
    assertThat(rows("select kind from audit_event where remediation_id = " + id)).containsExactly("interrupted");
  }

  @Test
  void successWithoutOutputIsRecordedAsSucceeded() {
    action.thenAnswer(new ActionResult.Succeeded(null));
    long id = queued("deployer", firing());

    worker.claimAndStart();
    awaitState(id, "succeeded");

    assertThat(rows("select output from remediation")).containsExactly("");
    assertThat(rows("select kind from audit_event where remediation_id is not null order by id"))
        .containsExactly("started", "succeeded");
  }

  @Test
  void actionThatAnswersNothingIsRecordedAsFailed() {
    Action silent = new Action() {
      @Override
      public ActionSpec spec() {
        return action.spec();
      }

      @Override
      public ActionResult execute(ActionRequest request) {
        return null;
      }
    };
    ActionModule module = new ActionModule() {
      @Override
      public ActionSpec spec() {
        return action.spec();
      }

      @Override
      public TargetKind targetKind() {
        return TargetKind.COMMAND;
      }

      @Override
      public Action open(Target target, SharedClients shared) {
        return silent;
      }
    };
    Worker silentWorker = Worker.create(database, new TargetClients(List.of(module),
        new SharedClients(new OkHttpClient(), new ObjectMapper(), Map.of()), () -> ruleSet), () -> ruleSet,
        new AuditLog(), clock, new RemediatorMetrics(meters), "worker-1", 1, () -> { }, killSwitch());
    long id = queued("deployer", firing());
    try {
      silentWorker.claimAndStart();
      awaitState(id, "failed");
    } finally {
      silentWorker.shutdown(Duration.ofSeconds(5));
    }

    assertThat(rows("select error from remediation")).containsExactly("action command returned no result");
  }

  @Test
  void anotherWorkersExpiredClaimIsSweptWhileTheRenewedLeaseOfARunningActionIsNot() {
    action.block();
    long mine = queued("deployer", firing("api-1"));
    worker.claimAndStart();
    await().atMost(Duration.ofSeconds(10)).until(() -> action.requests().size() == 1);
    long theirs = queued("deployer", firing("api-2"));
    claimAs("replica-2", Duration.ofSeconds(90));

    clock.advance(Duration.ofSeconds(60));
    worker.renewLeases();
    clock.advance(Duration.ofSeconds(40));
    int swept = worker.queue().sweepExpired();

    assertThat(swept).as("100 s in: past both 90 s leases, but only one was renewed").isEqualTo(1);
    assertThat(rows("select state, claimed_by, error from remediation where id = " + theirs)).containsExactly(
        "interrupted | replica-2 | its lease ran out: the replica running it stopped or crashed; "
            + "re-check before acting again");
    assertThat(rows("select kind, actor, outcome from audit_event where remediation_id = " + theirs + " order by id"))
        .containsExactly("interrupted | worker-1 | interrupted");
    assertThat(rows("select count(*) from remediation where id = ? and state = 'running' and lease_until = ?", mine,
        "2026-11-22T10:02:30.000000Z")).as("renewed at 60 s for another 90 s")
        .containsExactly("1");

    action.release();
    awaitState(mine, "succeeded");
  }

  @Test
  void claimsLastTheActionsTimeLimitPlusAMarginCappedSoOrphansAreFoundWithinTwoMinutes() {
    ruleSet = new RuleSet("test.yml", false, Optional.empty(), Map.of("deployer",
        new Target("deployer", TargetKind.COMMAND, Map.of("concurrency", "2"))), List.of(), Optional.empty());
    long quick = queued("deployer", firing("api-1"));
    database.inTransaction(c -> c.createStatement().executeUpdate(
        "update remediation set params = '{\"argv\":[\"/bin/true\"],\"timeout\":\"10s\"}' where id = " + quick));
    long slow = queued("deployer", firing("api-2"));
    database.inTransaction(c -> c.createStatement().executeUpdate(
        "update remediation set params = '{\"argv\":[\"/bin/true\"],\"timeout\":\"1h\"}' where id = " + slow));

    List<ClaimedRemediation> claimed = worker.queue().claim(2);

    assertThat(claimed).hasSize(2);
    assertThat(rows("select id, lease_until from remediation order by id")).containsExactly(
        quick + " | 2026-11-22T10:00:40.000000Z", slow + " | 2026-11-22T10:01:30.000000Z");
  }

  @Test
  void permanentFailureWithEscalateToLeavesAnEscalationInTheOutbox() {
    escalateTo("oncall");
    action.thenAnswer(new ActionResult.Permanent("exited with status 2: no such deployment", null));
    long id = queued("deployer", firing());

    worker.claimAndStart();
    awaitState(id, "failed");

    assertThat(rows("select remediation_id, kind, due_at, done_at from outbox"))
        .containsExactly(id + " | escalate | 2026-11-22T10:00:00.000000Z | null");
    List<FollowUp> due = database.inTransaction(c ->
        new OutboxStore().claimDue(c, database.dialect(), FollowUp.Kind.ESCALATE, "escalator", T0, Duration.ofMinutes(1), 10));
    assertThat(due).singleElement().satisfies(f -> assertThat(f.payload()).containsEntry("escalateTo", "oncall")
        .containsEntry("rule", "restart-api").containsEntry("error", "exited with status 2: no such deployment"));
  }

  @Test
  void followUpIsWrittenOnlyWithTheOutcomeInOneTransaction() {
    escalateTo("oncall");
    long id = queued("deployer", firing());
    ClaimedRemediation claim = claimAs("worker-1", Duration.ofSeconds(90));
    database.inTransaction(c -> c.createStatement().executeUpdate(
        "alter table audit_event add constraint no_failed_events check (kind <> 'failed')"));

    recorder().record(claim, T0, new ActionResult.Permanent("exited with status 2", null), false);

    assertThat(rows("select state from remediation where id = " + id)).as("the audit insert failed last")
        .containsExactly("running");
    assertThat(rows("select count(*) from outbox")).as("rolled back with the outcome").containsExactly("0");

    database.inTransaction(c -> c.createStatement().executeUpdate(
        "alter table audit_event drop constraint no_failed_events"));
    recorder().record(claim, T0, new ActionResult.Permanent("exited with status 2", null), false);

    assertThat(rows("select state from remediation where id = " + id)).containsExactly("failed");
    assertThat(rows("select count(*) from outbox where kind = 'escalate' and remediation_id = " + id))
        .containsExactly("1");
    assertThat(rows("select count(*) from audit_event where kind = 'failed'")).containsExactly("1");
  }

  @Test
  void failedActionIsLoggedAtWarnWithItsError() {
    Logger logger = (Logger) LoggerFactory.getLogger(OutcomeRecorder.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      queued("deployer", firing());
      ClaimedRemediation claim = claimAs("worker-1", Duration.ofSeconds(90));

      recorder().record(claim, T0, new ActionResult.Permanent("exited with status 2: no such deployment", null), false);
    } finally {
      logger.detachAppender(logged);
    }

    assertThat(logged.list).singleElement().satisfies(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.WARN);
      assertThat(event.getFormattedMessage()).isEqualTo("action failed: exited with status 2: no such deployment");
      assertThat(event.getKeyValuePairs()).anySatisfy(pair -> {
        assertThat(pair.key).isEqualTo("error");
        assertThat(pair.value).isEqualTo("exited with status 2: no such deployment");
      });
    });
  }
}
