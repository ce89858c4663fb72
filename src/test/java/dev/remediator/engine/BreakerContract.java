package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.action.ActionResult;
import dev.remediator.action.catalog.ActionCatalog;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import dev.remediator.audit.AuditLog;
import dev.remediator.engine.guard.BreakerGuard;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.resilience.Backoff;
import dev.remediator.resilience.Breakers;
import dev.remediator.resilience.RetryPolicy;
import dev.remediator.rules.BreakerSettings;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.RulesLoader;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.BreakerStore;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.Database;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.NewRemediation;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.RemediationQueue;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationStore;
import dev.remediator.store.StoredAlert;
import dev.remediator.store.VerificationStore;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.Rows;
import dev.remediator.upstream.HttpProbe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The breakers on a real store, whichever it is, driven the way the worker drives them: claimed
 * remediations go through the {@link BreakerCheck} decorator and their outcomes through the
 * {@link OutcomeRecorder}, and decisions ask the {@link BreakerGuard}, all on an injected clock.
 * Each test runs on its own target, since the PostgreSQL database is shared by a test class.
 */
abstract class BreakerContract {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final AtomicInteger TARGETS = new AtomicInteger();
  private static final AtomicInteger ALERTS = new AtomicInteger();

  final MutableClock clock = MutableClock.at(T0);
  final RemediationQueue queue = new RemediationQueue();
  final String target = "host-" + TARGETS.incrementAndGet();
  private final RemediationStore remediations = new RemediationStore();
  private final List<String> ran = new ArrayList<>();
  volatile RuleSet ruleSet;
  Database database;

  /** The store under test, migrated. */
  abstract Database openDatabase();

  @BeforeEach
  void open() {
    database = openDatabase();
    ruleSet = rules("");
  }

  @AfterEach
  void close() {
    database.close();
  }

  /**
   * Rules for {@link #target}: {@code restart-api}, {@code flush-cache} (ineffective after 2
   * successes, open for 30 minutes) and {@code restart-verified} (verified by the alert resolving
   * within 5 minutes) group by service; {@code targetBreaker} is added to the target.
   */
  RuleSet rules(String targetBreaker) {
    String yaml = """
        targets:
          %1$s: {kind: command%2$s}
          oncall: {kind: webhook, url: "http://127.0.0.1:9/hook"}
        escalate_to: oncall
        rules:
          - name: restart-api
            match: ['alertname="HighErrorRate"']
            action: command
            target: %1$s
            group_by: [service]
            with: {argv: ["/usr/bin/restart"]}
          - name: flush-cache
            match: ['alertname="CacheStale"']
            action: command
            target: %1$s
            group_by: [service]
            ineffective_after: 2
            breaker: {open_for: 30m}
            with: {argv: ["/usr/bin/flush"]}
          - name: restart-verified
            match: ['alertname="HighErrorRate"']
            action: command
            target: %1$s
            group_by: [service]
            verify: {resolved_within: 5m}
            with: {argv: ["/usr/bin/restart"]}
        """.formatted(target, targetBreaker);
    return new RulesLoader(ActionCatalog.specs(), Map.of()).parse("test.yml", yaml);
  }

  Rule rule(String name) {
    return ruleSet.rule(name).orElseThrow();
  }

  OutcomeRecorder recorder(Database store, String workerId) {
    return new OutcomeRecorder(store, queue, new OutboxStore(), new AuditLog(),
        new Breakers(new BreakerStore(), new AuditLog()), () -> ruleSet, clock,
        new RemediatorMetrics(new SimpleMeterRegistry()), workerId, new RetryPolicy(Backoff.standard()));
  }

  ActionPipeline pipeline(Database store, ActionPipeline.Step action) {
    return new ActionPipeline(List.of(new BreakerCheck(store, new Breakers(new BreakerStore(), new AuditLog()),
        new OutboxStore(), () -> ruleSet, clock, "worker-1")), action);
  }

  BreakerGuard guard(Database store) {
    return new BreakerGuard(store, new Breakers(new BreakerStore(), new AuditLog()));
  }

  /** A stored firing alert of {@code service}, decided into a pending remediation of {@code rule}; its id. */
  long pending(String ruleName, String service) {
    Rule rule = rule(ruleName);
    String alertname = ruleName.equals("flush-cache") ? "CacheStale" : "HighErrorRate";
    Alert alert = new Alert(AlertStatus.FIRING, Labels.of("alertname", alertname, "service", service,
        "n", Integer.toString(ALERTS.incrementAndGet())), Labels.EMPTY, clock.instant(), Optional.empty(), "", null);
    Notification notification = new Notification("4", "g", 0, alert.status(), "remediator", null, null, null, "",
        Optional.empty(), List.of(alert));
    database.inTransaction(c -> new NotificationStore().store(c,
        List.of(new IncomingNotification(notification, "{}", "alertmanager@test", clock.instant()))));
    StoredAlert stored = database.inTransaction(c -> new AlertInbox().undecided(c, 10)).get(0);
    database.inTransaction(c -> {
      new AlertInbox().markDecided(c, List.of(stored), clock.instant());
      return null;
    });
    return database.inTransaction(c -> remediations.insert(c, new NewRemediation(rule.name(), stored, rule.action(),
        rule.target(), GroupKey.of(rule, alert), RemediationState.PENDING, "all guards passed",
        Map.of("argv", List.of("/usr/bin/restart")), true, clock.instant()))).getAsLong();
  }

  ClaimedRemediation claim(Database store) {
    List<ClaimedRemediation> claimed = store.inTransaction(c ->
        queue.claimDue(c, store.dialect(), "worker-1", clock.instant(), Duration.ofMinutes(5), 1));
    assertThat(claimed).as("a remediation is due").hasSize(1);
    return claimed.get(0);
  }

  /** Claims the next due remediation, runs it through the breaker check and records the outcome; the result. */
  ActionResult run(ActionResult answer) {
    ClaimedRemediation claim = claim(database);
    Instant started = clock.instant();
    ActionResult result;
    try {
      result = pipeline(database, c -> {
        ran.add(Long.toString(c.id()));
        return answer;
      }).run(claim);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    recorder(database, "worker-1").record(claim, started, result, false);
    return result;
  }

  ActionResult decideAndRun(String ruleName, String service, ActionResult answer) {
    pending(ruleName, service);
    return run(answer);
  }

  static ActionResult failure() {
    return new ActionResult.Permanent("exited with status 1", null);
  }

  static ActionResult success() {
    return new ActionResult.Succeeded("restarted");
  }

  Verdict ask(Database store, String ruleName, String service) {
    Rule rule = rule(ruleName);
    Alert alert = new Alert(AlertStatus.FIRING, Labels.of("alertname", "HighErrorRate", "service", service),
        Labels.EMPTY, clock.instant(), Optional.empty(), "", null);
    return guard(store).check(new DecisionContext(ruleSet, rule, new StoredAlert(1, 1, alert),
        GroupKey.of(rule, alert), clock.instant(), Map.of(), null));
  }

  List<String> rows(String sql, Object... args) {
    return Rows.of(database, sql, args);
  }

  String state() {
    List<String> state = rows("select state from breaker where action = 'command' and target = ? and rule_name = ''",
        target);
    return state.isEmpty() ? "none" : state.get(0);
  }

  List<String> breakerEvents() {
    return rows("select kind || ' ' || outcome from audit_event where target = ? and kind like 'breaker%' order by id",
        target);
  }

  int breakerEscalations() {
    return rows("select payload from outbox where kind = 'escalate'").stream()
        .filter(payload -> payload.contains("\"reason\":\"breaker_open\"") && payload.contains("\"" + target + "\""))
        .toList().size();
  }

  @Test
  void opensAtHalfTheCallsFailingOnceAtLeastFiveFinishedWithinTheWindow() throws Exception {
    decideAndRun("restart-api", "api", failure());
    decideAndRun("restart-api", "api", success());
    decideAndRun("restart-api", "api", failure());
    decideAndRun("restart-api", "api", success());
    assertThat(state()).as("2 of 4 failed, but fewer than 5 calls").isEqualTo("closed");

    decideAndRun("restart-api", "api", failure());

    assertThat(state()).isEqualTo("open");
    assertThat(breakerEvents()).containsExactly("breaker_opened open");
    String detail = rows("select detail from audit_event where kind = 'breaker_opened' and target = ?", target).get(0);
    assertThat(detail).contains("\"calls\":5", "\"failures\":3", "\"minCalls\":5", "\"openUntil\":\""
        + T0.plus(Duration.ofMinutes(10)) + "\"");
    assertThat(breakerEscalations()).isEqualTo(1);
    Verdict verdict = ask(database, "restart-api", "api");
    assertThat(verdict).isInstanceOf(Verdict.Skip.class);
    assertThat(verdict.reason()).startsWith("breaker open until " + T0.plus(Duration.ofMinutes(10)));
  }

  @Test
  void staysClosedBelowTheRateAndForgetsCallsOlderThanTheWindow() {
    decideAndRun("restart-api", "api", failure());
    decideAndRun("restart-api", "api", failure());
    decideAndRun("restart-api", "api", success());
    decideAndRun("restart-api", "api", success());
    decideAndRun("restart-api", "api", success());
    assertThat(state()).as("2 of 5 is below 50%").isEqualTo("closed");

    clock.advance(Duration.ofMinutes(61));
    decideAndRun("restart-api", "api", failure());
    decideAndRun("restart-api", "api", failure());
    decideAndRun("restart-api", "api", failure());
    decideAndRun("restart-api", "api", failure());
    assertThat(state()).as("4 failures in the window, but only 4 calls there").isEqualTo("closed");
    decideAndRun("restart-api", "api", success());
    assertThat(state()).as("4 of 5 in the window failed").isEqualTo("open");
  }

  @Test
  void aTargetsBreakerSettingsApplyAndARulesWinOverThem() {
    ruleSet = rules(", breaker: {min_calls: 2, failure_rate: 100%}");
    assertThat(ruleSet.breaker(rule("restart-api"))).isEqualTo(new BreakerSettings(1.0, 2, Duration.ofHours(1),
        Duration.ofMinutes(10)));
    assertThat(ruleSet.breaker(rule("flush-cache"))).as("rule over target over default")
        .isEqualTo(new BreakerSettings(1.0, 2, Duration.ofHours(1), Duration.ofMinutes(30)));
    decideAndRun("restart-api", "api", failure());
    decideAndRun("restart-api", "api", success());
    assertThat(state()).as("1 of 2 is below 100%").isEqualTo("closed");
    decideAndRun("restart-api", "api", failure());
    assertThat(state()).as("2 of 3 is below 100%").isEqualTo("closed");

    ruleSet = rules(", breaker: {min_calls: 2, failure_rate: 60%}");
    decideAndRun("restart-api", "api", failure());
    assertThat(state()).as("3 of 4 is at least 60%").isEqualTo("open");
  }

  @Test
  void aRemediationNotVerifiedAfterwardsCountsAsAFailure() {
    for (int i = 0; i < 4; i++) {
      decideAndRun("restart-api", "api", success());
    }
    database.inTransaction(c -> {
      try (var update = c.prepareStatement("update remediation set verification = 'not_verified' where id in "
          + "(select id from remediation where target = ? order by id limit 3)")) {
        update.setString(1, target);
        return update.executeUpdate();
      }
    });
    assertThat(state()).isEqualTo("closed");

    decideAndRun("restart-api", "api", success());

    assertThat(state()).isEqualTo("open");
    assertThat(rows("select detail from audit_event where kind = 'breaker_opened' and target = ?", target).get(0))
        .contains("\"calls\":5", "\"failures\":3");
  }

  @Test
  void verificationsThatFailOpenTheBreakerAsTheyEndWithoutAnotherCallAndEscalateOnce() throws Exception {
    // Every call succeeds, so only what the verifications find can open it.
    ruleSet = rules(", breaker: {min_calls: 3, failure_rate: 100%}");
    VerificationStore verifications = new VerificationStore();
    Verifier verifier = new Verifier(database, new OutboxStore(), verifications, new AuditLog(),
        new Breakers(new BreakerStore(), new AuditLog()), new VerificationProbe(database, verifications,
        Optional.empty(), new HttpProbe(OkHttpClient::new, Duration.ofSeconds(5))), () -> ruleSet, clock,
        new RemediatorMetrics(new SimpleMeterRegistry()), "verifier-1", List.of());
    int minCalls = ruleSet.breaker(target).minCalls();
    for (int i = 1; i <= minCalls; i++) {
      assertThat(decideAndRun("restart-verified", "api", success())).isInstanceOf(ActionResult.Succeeded.class);
      assertThat(state()).as("every call succeeded").isEqualTo("closed");
      clock.advance(Duration.ofMinutes(5));
      assertThat(verifier.verifyDue()).isEqualTo(1);
      assertThat(state()).as("after %d not verified of %d calls", i, minCalls)
          .isEqualTo(i < minCalls ? "closed" : "open");
    }

    assertThat(rows("select count(*) from remediation where target = ? and verification = 'not_verified'", target))
        .containsExactly(Integer.toString(minCalls));
    assertThat(breakerEvents()).containsExactly("breaker_opened open");
    assertThat(rows("select actor, detail from audit_event where kind = 'breaker_opened' and target = ?", target))
        .singleElement().asString().startsWith("verifier-1 | ")
        .as("each call counted once, as a failure").contains("\"calls\":" + minCalls, "\"failures\":" + minCalls);
    assertThat(breakerEscalations()).isEqualTo(1);
    Verdict verdict = ask(database, "restart-verified", "api");
    assertThat(verdict).isInstanceOf(Verdict.Skip.class);
    assertThat(verdict.reason()).startsWith("breaker open until");
  }

  private void openIt() {
    for (int i = 0; i < 5; i++) {
      decideAndRun("restart-api", "api", failure());
    }
    assertThat(state()).isEqualTo("open");
  }

  @Test
  void whileOpenAClaimedRemediationIsCancelledWithTheReasonAndNeverRuns() {
    openIt();
    int before = ran.size();
    clock.advance(Duration.ofMinutes(9));

    ActionResult result = decideAndRun("restart-api", "api", success());

    assertThat(result).isInstanceOf(ActionResult.Cancelled.class);
    assertThat(result.message()).startsWith("breaker open until " + T0.plus(Duration.ofMinutes(10)));
    assertThat(ran).as("the action did not run").hasSize(before);
    assertThat(rows("select state from remediation where target = ? order by id desc limit 1", target))
        .containsExactly("cancelled");
    assertThat(state()).isEqualTo("open");
    assertThat(breakerEscalations()).isEqualTo(1);
  }

  @Test
  void afterOpenForOneTrialCallRunsAndItsSuccessClosesTheBreaker() throws Exception {
    openIt();
    clock.advance(Duration.ofMinutes(10));
    Verdict verdict = ask(database, "restart-api", "api");
    assertThat(verdict.passes()).isTrue();
    assertThat(verdict.reason()).startsWith("breaker half open");

    long trial = pending("restart-api", "api");
    long other = pending("restart-api", "web");
    ClaimedRemediation trialClaim = claim(database);
    assertThat(trialClaim.id()).isEqualTo(trial);
    List<ActionResult> whileTrialRuns = new ArrayList<>();
    ActionResult trialResult = pipeline(database, c -> {
      // While the trial runs, every other call is refused, by the guard and by the worker.
      whileTrialRuns.add(pipeline(database, inner -> success()).run(claim(database)));
      assertThat(ask(database, "restart-api", "web")).isInstanceOf(Verdict.Skip.class);
      return success();
    }).run(trialClaim);
    recorder(database, "worker-1").record(trialClaim, clock.instant(), trialResult, false);

    assertThat(trialResult).isInstanceOf(ActionResult.Succeeded.class);
    assertThat(whileTrialRuns).hasSize(1);
    assertThat(whileTrialRuns.get(0)).isInstanceOf(ActionResult.Cancelled.class);
    assertThat(whileTrialRuns.get(0).message()).contains("trial call, remediation " + trial);
    assertThat(other).isNotEqualTo(trial);
    assertThat(state()).isEqualTo("closed");
    assertThat(breakerEvents()).containsExactly("breaker_opened open", "breaker_half_opened half_open",
        "breaker_closed closed");
    assertThat(ask(database, "restart-api", "api").passes()).isTrue();
    assertThat(breakerEscalations()).isEqualTo(1);

    decideAndRun("restart-api", "api", failure());
    assertThat(state()).as("counting starts afresh when it closes").isEqualTo("closed");
  }

  @Test
  void aFailedTrialCallOpensTheBreakerAgainAndEscalatesThatOpeningOnce() {
    openIt();
    clock.advance(Duration.ofMinutes(10));

    ActionResult trial = decideAndRun("restart-api", "api", failure());

    assertThat(trial).isInstanceOf(ActionResult.Permanent.class);
    assertThat(state()).isEqualTo("open");
    assertThat(breakerEvents()).containsExactly("breaker_opened open", "breaker_half_opened half_open",
        "breaker_opened open");
    assertThat(breakerEscalations()).isEqualTo(2);
    ActionResult refused = decideAndRun("restart-api", "api", success());
    assertThat(refused.message()).startsWith("breaker open until " + T0.plus(Duration.ofMinutes(20)));
  }

  @Test
  void callsStillRunningWhenItOpensAreCountedWithoutOpeningOrEscalatingAgain() {
    for (int i = 0; i < 7; i++) {
      pending("restart-api", "api");
    }
    List<ClaimedRemediation> claims = database.inTransaction(c ->
        queue.claimDue(c, database.dialect(), "worker-1", clock.instant(), Duration.ofMinutes(5), 7));
    List<ActionResult> results = new ArrayList<>();
    for (ClaimedRemediation claim : claims) {
      try {
        results.add(pipeline(database, c -> failure()).run(claim));
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    for (int i = 0; i < claims.size(); i++) {
      recorder(database, "worker-1").record(claims.get(i), clock.instant(), results.get(i), false);
    }

    assertThat(results).allMatch(result -> result instanceof ActionResult.Permanent);
    assertThat(breakerEvents()).containsExactly("breaker_opened open");
    assertThat(breakerEscalations()).isEqualTo(1);
  }

  @Test
  void anAlertGroupThatKeepsFiringAfterItsSuccessfulRemediationsOpensItsOwnBreaker() throws Exception {
    decideAndRun("flush-cache", "api", success());
    decideAndRun("flush-cache", "api", success());
    int before = ran.size();

    ActionResult third = decideAndRun("flush-cache", "api", success());

    assertThat(third).isInstanceOf(ActionResult.Cancelled.class);
    assertThat(third.message()).contains("still fires after 2 successful remediations");
    assertThat(ran).hasSize(before);
    assertThat(rows("select state, rule_name, group_key from breaker where target = ? and rule_name <> ''", target))
        .containsExactly("open | flush-cache | {service=\"api\"}");
    assertThat(state()).as("the (action, target) breaker is not touched").isEqualTo("closed");
    assertThat(breakerEvents()).containsExactly("breaker_opened open");
    assertThat(breakerEscalations()).isEqualTo(1);
    Verdict api = guard(database).check(context("flush-cache", "api"));
    assertThat(api).isInstanceOf(Verdict.Skip.class);
    assertThat(api.reason()).contains("alert group {service=\"api\"} of rule flush-cache");
    assertThat(guard(database).check(context("flush-cache", "web")).passes()).isTrue();
    assertThat(decideAndRun("flush-cache", "web", success())).isInstanceOf(ActionResult.Succeeded.class);

    clock.advance(Duration.ofMinutes(29));
    assertThat(decideAndRun("flush-cache", "api", success())).as("open for the rule's 30 minutes")
        .isInstanceOf(ActionResult.Cancelled.class);
    clock.advance(Duration.ofMinutes(1));
    assertThat(decideAndRun("flush-cache", "api", success())).as("the trial call")
        .isInstanceOf(ActionResult.Succeeded.class);
    assertThat(rows("select state from breaker where target = ? and rule_name = 'flush-cache' and group_key like "
        + "'%api%'", target)).containsExactly("closed");
    assertThat(breakerEscalations()).isEqualTo(1);
  }

  private DecisionContext context(String ruleName, String service) {
    Rule rule = rule(ruleName);
    Alert alert = new Alert(AlertStatus.FIRING, Labels.of("alertname", "CacheStale", "service", service),
        Labels.EMPTY, clock.instant(), Optional.empty(), "", null);
    return new DecisionContext(ruleSet, rule, new StoredAlert(1, 1, alert), GroupKey.of(rule, alert),
        clock.instant(), Map.of(), null);
  }

  @Test
  void aResetClosesTheBreakerAndItsAlertGroupsAuditedWithTheOperator() {
    decideAndRun("flush-cache", "api", success());
    openIt();
    Breakers breakers = new Breakers(new BreakerStore(), new AuditLog());

    int reset = database.inTransaction(c -> breakers.reset(c, "command", target, "operator@10.0.0.1",
        "fixed the disk", clock.instant()));
    int unknown = database.inTransaction(c -> breakers.reset(c, "command", "no-such-target", "operator@10.0.0.1",
        null, clock.instant()));

    assertThat(reset).isEqualTo(2);
    assertThat(unknown).isZero();
    assertThat(rows("select state from breaker where target = ?", target)).containsOnly("closed");
    assertThat(rows("select actor, rule_name, detail from audit_event where kind = 'breaker_reset' and target = ? "
        + "order by id", target)).satisfiesExactly(
            row -> assertThat(row).startsWith("operator@10.0.0.1 | null | ").contains("\"from\":\"open\"",
                "fixed the disk"),
            row -> assertThat(row).startsWith("operator@10.0.0.1 | flush-cache | ").contains("\"from\":\"closed\""));
    assertThat(decideAndRun("restart-api", "api", success())).isInstanceOf(ActionResult.Succeeded.class);
  }

  @Test
  void theListShowsStateCountsAndSettings() {
    openIt();
    Breakers breakers = new Breakers(new BreakerStore(), new AuditLog());
    var views = database.inTransaction(c -> breakers.list(c, ruleSet, clock.instant())).stream()
        .filter(view -> view.key().target().equals(target)).toList();
    assertThat(views).hasSize(1);
    assertThat(views.get(0).state().wireName()).isEqualTo("open");
    assertThat(views.get(0).calls()).isEqualTo(5);
    assertThat(views.get(0).failures()).isEqualTo(5);
    assertThat(views.get(0).openUntil()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    assertThat(views.get(0).settings().minCalls()).isEqualTo(5);

    clock.advance(Duration.ofMinutes(10));
    var later = database.inTransaction(c -> breakers.list(c, ruleSet, clock.instant())).stream()
        .filter(view -> view.key().target().equals(target)).toList();
    assertThat(later.get(0).state().wireName()).as("its time is up: the next call is a trial").isEqualTo("half_open");
  }
}
