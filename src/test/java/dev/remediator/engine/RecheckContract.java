package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.action.ActionResult;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import dev.remediator.audit.AuditLog;
import dev.remediator.engine.guard.AllowlistGuard;
import dev.remediator.engine.guard.ApprovalGuard;
import dev.remediator.engine.guard.CooldownGuard;
import dev.remediator.engine.guard.DryRunGuard;
import dev.remediator.engine.guard.RateLimitGuard;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.resilience.Backoff;
import dev.remediator.resilience.Breakers;
import dev.remediator.resilience.RetryPolicy;
import dev.remediator.rules.ParamRenderer;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.RulesLoader;
import dev.remediator.rules.TestCatalog;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.BreakerStore;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.Database;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.NewRemediation;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.PauseStore;
import dev.remediator.store.RemediationQueue;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationStore;
import dev.remediator.store.StoredAlert;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.Rows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code on_interrupt: recheck} on a real store, whichever it is: work a dead replica left running
 * is swept as interrupted and, while its alert still fires, decided again by the same guards as a
 * new decision (the counting ones not counting it against itself), every verdict audited. Each
 * test has its own service, so its own cooldown group, since the PostgreSQL database is shared by
 * a test class.
 */
abstract class RecheckContract {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final AtomicInteger SERVICES = new AtomicInteger();

  private final MutableClock clock = MutableClock.at(T0);
  private final String service = "svc-" + SERVICES.incrementAndGet();
  private final RemediationQueue queue = new RemediationQueue();
  private final RemediationStore remediations = new RemediationStore();
  private RuleSet ruleSet;
  Database database;

  /** The store under test, migrated. */
  abstract Database openDatabase();

  @BeforeEach
  void open() {
    database = openDatabase();
  }

  @AfterEach
  void close() {
    database.close();
  }

  /** One rule with {@code on_interrupt: recheck}, grouped by service, plus {@code extra} settings. */
  private void rules(String extra) {
    ruleSet = new RulesLoader(TestCatalog.actions(), Map.of()).parse("rules.yml", """
        targets:
          deployer: {kind: command}
          oncall: {kind: webhook, url: "http://127.0.0.1:9/oncall"}
        escalate_to: oncall
        rules:
          - name: restart-api
            match: ['alertname="HighErrorRate"']
            action: command
            target: deployer
            group_by: [service]
            with: {argv: ["/usr/bin/restart", "api"]}
            on_interrupt: recheck
        """ + extra);
  }

  private WorkQueue workQueue() {
    return workQueue("replica-2");
  }

  private WorkQueue workQueue(String replica) {
    return new WorkQueue(database, queue, new OutboxStore(), new AuditLog(), () -> ruleSet, clock, replica);
  }

  private Rechecker rechecker() {
    GuardChain guards = new GuardChain(List.of(new DryRunGuard(false), new CooldownGuard(), new RateLimitGuard(),
        new AllowlistGuard(), new ApprovalGuard()));
    return new Rechecker(decider(guards), guards, new AlertInbox(), remediations, new AuditLog(), () -> ruleSet,
        clock);
  }

  private Decider decider(GuardChain guards) {
    return new Decider(new AlertInbox(), remediations, new OutboxStore(), new AuditLog(), guards, () -> ruleSet,
        TestCatalog.actions(), new ParamRenderer(), Pins.NONE,
        new BlastRadius(new KillSwitch(database, new PauseStore(), new AuditLog(), clock), new OutboxStore()), clock,
        new RemediatorMetrics(new SimpleMeterRegistry()));
  }

  /** Stores this test's alert (firing or resolved) for the occurrence that started at {@code startsAt}. */
  private void receive(AlertStatus status, Instant startsAt) {
    Alert alert = new Alert(status, Labels.of("alertname", "HighErrorRate", "service", service), Labels.EMPTY,
        startsAt, status == AlertStatus.RESOLVED ? Optional.of(clock.instant()) : Optional.empty(), "", null);
    Notification notification = new Notification("4", "g", 0, status, "remediator", null, null, null, "",
        Optional.empty(), List.of(alert));
    database.inTransaction(c -> new NotificationStore().store(c,
        List.of(new IncomingNotification(notification, "{}", "alertmanager@test", clock.instant()))));
  }

  /** A decision of this test's rule for the firing occurrence that started at {@code startsAt}; its id. */
  private long decided(Instant startsAt, RemediationState state) {
    receive(AlertStatus.FIRING, startsAt);
    StoredAlert stored = database.inTransaction(c -> {
      List<StoredAlert> undecided = new AlertInbox().undecided(c, 100);
      new AlertInbox().markDecided(c, undecided, clock.instant());
      return undecided;
    }).stream().filter(a -> a.alert().labels().get("service").equals(service)).findFirst().orElseThrow();
    Rule rule = ruleSet.rule("restart-api").orElseThrow();
    return database.inTransaction(c -> remediations.insert(c, new NewRemediation(rule.name(), stored, rule.action(),
        rule.target(), GroupKey.of(rule, stored.alert()), state, "all guards passed",
        Map.of("argv", List.of("/usr/bin/restart", "api")), true, clock.instant()))).getAsLong();
  }

  /** A remediation decided at T0, claimed by a replica that then died, swept once its lease ran out; its id. */
  private long interrupted() {
    long id = decided(T0, RemediationState.PENDING);
    List<ClaimedRemediation> claimed = workQueue("replica-1").claim(1);
    assertThat(claimed).singleElement().satisfies(c -> assertThat(c.id()).isEqualTo(id));
    clock.advance(Leases.MAX_LEASE.plusSeconds(1));
    assertThat(workQueue().sweepExpired()).isEqualTo(1);
    assertThat(state(id)).isEqualTo("rechecking");
    return id;
  }

  private String state(long id) {
    return rows("select state from remediation where id = ?", id).get(0);
  }

  private List<String> rows(String sql, Object... args) {
    return Rows.of(database, sql, args);
  }

  /** The kind and outcome of the remediation's audit events from the sweep on, in order. */
  private List<String> audited(long id) {
    return rows("select kind || ' ' || outcome from audit_event where remediation_id = ? and kind <> 'started'"
        + " order by id", id);
  }

  @Test
  void aRecheckThatACooldownNowStopsEndsSkippedWithTheCooldownsReasonAndEveryVerdictAudited() {
    rules("    cooldown: 10m\n");
    long id = interrupted();
    clock.advance(Duration.ofSeconds(30));
    decided(T0.plusSeconds(60), RemediationState.SUCCEEDED);

    assertThat(rechecker().recheckBatch(database, 10)).isEqualTo(1);

    assertThat(rows("select state, reason from remediation where id = ?", id)).singleElement().asString()
        .startsWith("skipped | rule acted for group {service=\"" + service + "\"} at ")
        .as("the other decision, not its own").contains("cooldown 10m lasts until");
    assertThat(rows("select count(*) from remediation where id = ? and counts", id)).containsExactly("0");
    assertThat(audited(id)).containsExactly("interrupted interrupted", "requeued rechecking", "guard pass",
        "guard skip", "guard pass", "guard pass", "guard pass", "decided skipped");
    assertThat(rows("select detail from audit_event where remediation_id = ? and kind = 'decided'", id))
        .singleElement().asString().contains("\"guard\":\"cooldown\"", "\"recheck\":");
    assertThat(rows("select detail from audit_event where remediation_id = ? and outcome = 'skip'", id))
        .singleElement().asString().contains("\"guard\":\"cooldown\"");
    assertThat(workQueue().claim(10)).as("nothing runs").isEmpty();
  }

  @Test
  void aRecheckThatPassesIsDueAgainAndRunsOnceMoreNotHeldBackByItsOwnCooldown() {
    rules("    cooldown: 10m\n");
    long id = interrupted();

    assertThat(rechecker().recheckBatch(database, 10)).isEqualTo(1);

    assertThat(rows("select state, reason from remediation where id = ?", id))
        .containsExactly("pending | all guards passed");
    assertThat(audited(id)).containsExactly("interrupted interrupted", "requeued rechecking", "guard pass",
        "guard pass", "guard pass", "guard pass", "guard pass", "decided pending");
    assertThat(rows("select count(*) from remediation where id = ? and counts", id))
        .as("its new decision counts in the cooldown again").containsExactly("1");
    assertThat(rechecker().recheckBatch(database, 10)).as("decided again once only").isZero();

    List<ClaimedRemediation> again = workQueue().claim(10);
    assertThat(again).singleElement().satisfies(c -> {
      assertThat(c.id()).isEqualTo(id);
      assertThat(c.attempt()).isEqualTo(2);
    });
    new OutcomeRecorder(database, queue, new OutboxStore(), new AuditLog(),
        new Breakers(new BreakerStore(), new AuditLog()), () -> ruleSet, clock,
        new RemediatorMetrics(new SimpleMeterRegistry()), "replica-2", new RetryPolicy(Backoff.standard()))
        .record(again.get(0), clock.instant(), new ActionResult.Succeeded("restarted"), false);

    assertThat(state(id)).isEqualTo("succeeded");
    assertThat(workQueue().claim(10)).isEmpty();
    assertThat(rows("select count(*) from audit_event where remediation_id = ? and kind = 'started'", id))
        .as("the cut-off run and the one after the recheck").containsExactly("2");
  }

  @Test
  void aRecheckOfARuleThatRequiresApprovalAwaitsItAgain() {
    rules("    approval: required\n    approval_ttl: 15m\n");
    long id = interrupted();

    assertThat(rechecker().recheckBatch(database, 10)).isEqualTo(1);

    assertThat(rows("select state, reason from remediation where id = ?", id))
        .containsExactly("awaiting_approval | rule restart-api requires approval");
    assertThat(rows("select detail from audit_event where remediation_id = ? and kind = 'decided'", id))
        .singleElement().asString().contains("\"expiresAt\":\"" + clock.instant().plus(Duration.ofMinutes(15)));
    assertThat(rows("select payload from outbox where remediation_id = ?", id)).singleElement().asString()
        .contains("\"reason\":\"approval_requested\"");
    assertThat(workQueue().claim(10)).isEmpty();
  }

  @Test
  void aRecheckWhoseAlertResolvesBeforeItIsDecidedAgainIsCancelledNotRun() {
    rules("");
    long id = interrupted();
    receive(AlertStatus.RESOLVED, T0);

    assertThat(decider(new GuardChain(List.of(new CooldownGuard()))).decideBatch(database, 100)).isPositive();

    assertThat(state(id)).isEqualTo("cancelled");
    assertThat(rechecker().recheckBatch(database, 10)).isZero();
    assertThat(audited(id)).containsExactly("interrupted interrupted", "requeued rechecking", "cancelled cancelled");
    assertThat(workQueue().claim(10)).isEmpty();
  }

  @Test
  void aRecheckWhoseRuleWasRemovedMeanwhileEndsSkippedSayingSo() {
    rules("");
    long id = interrupted();
    ruleSet = new RuleSet(ruleSet.source(), false, ruleSet.maxActions(), ruleSet.targets(), List.of(),
        ruleSet.escalateTo(), ruleSet.targetBreakers());

    assertThat(rechecker().recheckBatch(database, 10)).isEqualTo(1);

    assertThat(rows("select state, reason from remediation where id = ?", id))
        .containsExactly("skipped | rule restart-api is no longer loaded");
    assertThat(audited(id)).containsExactly("interrupted interrupted", "requeued rechecking", "decided skipped");
    assertThat(workQueue().claim(10)).isEmpty();
  }
}
