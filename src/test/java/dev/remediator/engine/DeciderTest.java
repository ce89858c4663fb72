package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.remediator.action.Pinning;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.LabelMatcher;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import dev.remediator.audit.AuditLog;
import dev.remediator.engine.guard.AllowlistGuard;
import dev.remediator.engine.guard.ApprovalGuard;
import dev.remediator.engine.guard.CooldownGuard;
import dev.remediator.engine.guard.DryRunGuard;
import dev.remediator.engine.guard.RateLimitGuard;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.rules.ActionSpec;
import dev.remediator.rules.ParamRenderer;
import dev.remediator.rules.RateLimit;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.Database;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.Ledger;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.PauseStore;
import dev.remediator.store.RemediationStore;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import dev.remediator.testing.FreshStore;
import dev.remediator.testing.InMemoryStore;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.RecordingAction;
import dev.remediator.testing.Rows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

class DeciderTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final ActionSpec COMMAND = new RecordingAction("command").spec();

  private final MutableClock clock = MutableClock.at(T0);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  @RegisterExtension
  final FreshStore store = FreshStore.inMemory();
  private Database database;
  private RuleSet ruleSet;
  private boolean globalDryRun;

  @BeforeEach
  void open() {
    database = store.database();
  }

  private static Rule rule(String name, Optional<Duration> cooldown, Optional<RateLimit> maxActions, boolean approval) {
    return rule(name, cooldown, maxActions, false, approval);
  }

  private static Rule rule(String name, Optional<Duration> cooldown, Optional<RateLimit> maxActions, boolean dryRun,
                           boolean approval) {
    return new Rule(name, 1, List.of(LabelMatcher.of("alertname", LabelMatcher.Op.EQUAL, "HighErrorRate")),
        "command", "deployer", Map.of("argv", List.of("/usr/bin/restart", "{{ labels.service }}")),
        Map.of("service", Pattern.compile("^(?:[a-z0-9-]{1,63})$")), cooldown, List.of("service"), maxActions, dryRun,
        approval);
  }

  private static RuleSet rules(Optional<RateLimit> global, Rule... rules) {
    return new RuleSet("test.yml", false, global, Map.of("deployer", new Target("deployer", TargetKind.COMMAND, Map.of())),
        List.of(rules), Optional.empty());
  }

  private static Alert alert(String service, AlertStatus status, Instant startsAt) {
    return new Alert(status, Labels.of("alertname", "HighErrorRate", "service", service), Labels.EMPTY, startsAt,
        Optional.empty(), "", null);
  }

  private void receive(Alert... alerts) {
    Notification notification = new Notification("4", "g", 0, alerts[0].status(), "remediator", null, null, null, "",
        Optional.empty(), List.of(alerts));
    database.inTransaction(c -> new NotificationStore().store(c,
        List.of(new IncomingNotification(notification, "{}", "alertmanager@test", clock.instant()))));
  }

  private int decide() {
    return decide(List.of(new DryRunGuard(globalDryRun), new CooldownGuard(), new RateLimitGuard(),
        new AllowlistGuard(), new ApprovalGuard()));
  }

  private int decide(List<Guard> chain) {
    return decide(chain, Pins.NONE);
  }

  private int decide(Pins pins) {
    return decide(List.of(new DryRunGuard(globalDryRun), new CooldownGuard(), new RateLimitGuard(),
        new AllowlistGuard(), new ApprovalGuard()), pins);
  }

  private int decide(List<Guard> chain, Pins pins) {
    GuardChain guards = new GuardChain(chain);
    Decider decider = new Decider(new AlertInbox(), new RemediationStore(), new OutboxStore(), new AuditLog(), guards,
        () -> ruleSet, Map.of("command", COMMAND), new ParamRenderer(), pins, blastRadius(), clock,
        new RemediatorMetrics(meters));
    return decider.decideBatch(database, 100);
  }

  private BlastRadius blastRadius() {
    return new BlastRadius(new KillSwitch(database, new PauseStore(), new AuditLog(), clock), new OutboxStore());
  }

  private List<String> rows(String sql, Object... args) {
    return Rows.of(database, sql, args);
  }


  @Test
  void firingAlertGetsOnePendingRemediationWithRenderedParamsAndEveryVerdictAudited() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), false));
    receive(alert("api-1", AlertStatus.FIRING, T0));

    assertThat(decide()).isEqualTo(1);

    assertThat(rows("select rule_name, state, params, group_key from remediation")).containsExactly(
        "restart-api | pending | {\"argv\":[\"/usr/bin/restart\",\"api-1\"]} | {service=\"api-1\"}");
    assertThat(rows("select kind, outcome, detail from audit_event where kind = 'guard' order by id")).containsExactly(
        "guard | pass | {\"guard\":\"dry_run\",\"reason\":\"not a dry run\"}",
        "guard | pass | {\"guard\":\"cooldown\",\"reason\":\"no cooldown set\"}",
        "guard | pass | {\"guard\":\"rate_limit\",\"reason\":\"no max_actions set\"}",
        "guard | pass | {\"guard\":\"allowlist\",\"reason\":\"templated values match [service]\"}",
        "guard | pass | {\"guard\":\"approval\",\"reason\":\"no approval required\"}");
    assertThat(rows("select kind from audit_event order by id"))
        .containsExactly("matched", "guard", "guard", "guard", "guard", "guard", "decided");
    assertThat(rows("select count(*) from alert where decided_at is null")).containsExactly("0");
    assertThat(meters.get("remediator_decisions").tag("rule", "restart-api").tag("verdict", "pending").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void stateAnActionPinsIsRecordedWithTheParamsItWillRunWith() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), false));
    receive(alert("api-1", AlertStatus.FIRING, T0));
    List<Map<String, Object>> asked = new ArrayList<>();

    decide((action, target, params) -> {
      asked.add(params);
      return Optional.of(Map.of("from_revision", 7, "to_revision", 6));
    });

    assertThat(asked).containsExactly(Map.of("argv", List.of("/usr/bin/restart", "api-1")));
    assertThat(rows("select state, params from remediation")).containsExactly(
        "pending | {\"argv\":[\"/usr/bin/restart\",\"api-1\"],\"pinned\":{\"from_revision\":7,\"to_revision\":6}}");
  }

  @Test
  void aDryRunDecisionPinsNothing() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), true, false));
    receive(alert("api-1", AlertStatus.FIRING, T0));
    List<String> asked = new ArrayList<>();

    decide((action, target, params) -> {
      asked.add(action);
      return Optional.of(Map.of("from_revision", 7));
    });

    assertThat(asked).isEmpty();
    assertThat(rows("select state, params from remediation")).containsExactly(
        "dry_run | {\"argv\":[\"/usr/bin/restart\",\"api-1\"]}");
  }

  @Test
  void oneBatchPinsTheSameActionTargetAndParamsOnce() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), false));
    receive(alert("api-1", AlertStatus.FIRING, T0), alert("api-1", AlertStatus.FIRING, T0.plusSeconds(60)),
        alert("api-2", AlertStatus.FIRING, T0));
    List<Object> asked = new ArrayList<>();

    decide((action, target, params) -> {
      asked.add(params.get("argv"));
      return Optional.of(Map.of("from_revision", 7));
    });

    assertThat(asked).containsExactly(List.of("/usr/bin/restart", "api-1"), List.of("/usr/bin/restart", "api-2"));
    assertThat(rows("select count(*) from remediation where params like '%pinned%'")).containsExactly("3");
  }

  @Test
  void stateThatCannotBePinnedSkipsTheRemediationWithTheReason() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), false));
    receive(alert("api-1", AlertStatus.FIRING, T0));

    decide((action, target, params) -> {
      throw new Pinning.PinException("deployment api has no earlier revision");
    });

    assertThat(rows("select state, reason from remediation")).containsExactly(
        "skipped | could not pin the state to act from: deployment api has no earlier revision");
  }

  @Test
  void alertMatchingNoRuleIsAuditedAsUnmatched() {
    ruleSet = rules(Optional.empty());
    receive(alert("api-1", AlertStatus.FIRING, T0));

    decide();

    assertThat(rows("select kind, outcome from audit_event order by id")).containsExactly(
        "unmatched | no_rule");
    assertThat(rows("select count(*) from remediation")).containsExactly("0");
  }

  @Test
  void dryRunDecidesAndAuditsButDoesNotQueueAndStillShowsTheOtherGuards() {
    globalDryRun = true;
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), false));
    receive(alert("api-1", AlertStatus.FIRING, T0));

    decide();

    assertThat(rows("select state, reason, counts, counts_dry_run from remediation"))
        .containsExactly("dry_run | REMEDIATOR_DRY_RUN is set; would run: all guards passed | 0 | 1");
    assertThat(rows("select count(*) from audit_event where kind = 'guard'")).containsExactly("5");
  }

  @Test
  void cooldownSkipsSecondRestartWithinWindowAndAllowsItAfter() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.of(Duration.ofMinutes(15)), Optional.empty(), false));
    receive(alert("api-1", AlertStatus.FIRING, T0));
    decide();

    clock.advance(Duration.ofMinutes(5));
    receive(alert("api-1", AlertStatus.FIRING, T0.plusSeconds(300)));
    decide();
    clock.advance(Duration.ofMinutes(11));
    receive(alert("api-1", AlertStatus.FIRING, T0.plusSeconds(960)));
    decide();

    assertThat(rows("select state, reason from remediation order by id")).containsExactly(
        "pending | all guards passed",
        "skipped | rule acted for group {service=\"api-1\"} at 2026-11-22T10:00:00Z; cooldown 15m lasts until "
            + "2026-11-22T10:15:00Z",
        "pending | all guards passed");
  }

  @Test
  void cooldownHoldsBetweenAlertsOfOneBatch() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.of(Duration.ofMinutes(10)), Optional.empty(), false));
    receive(alert("api-1", AlertStatus.FIRING, T0), alert("api-1", AlertStatus.FIRING, T0.plusSeconds(1)),
        alert("api-2", AlertStatus.FIRING, T0));

    assertThat(decide()).isEqualTo(3);

    assertThat(rows("select group_key, state from remediation order by id")).containsExactly(
        "{service=\"api-1\"} | pending", "{service=\"api-1\"} | skipped", "{service=\"api-2\"} | pending");
  }

  @Test
  void cooldownIsPerGroup() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.of(Duration.ofMinutes(15)), Optional.empty(), false));
    receive(alert("api-1", AlertStatus.FIRING, T0), alert("api-2", AlertStatus.FIRING, T0));

    decide();

    assertThat(rows("select state from remediation order by id")).containsExactly("pending", "pending");
  }

  @Test
  void ruleMaxActionsStopsTheFourthActionInAnHour() {
    ruleSet = rules(Optional.empty(),
        rule("restart-api", Optional.empty(), Optional.of(new RateLimit(3, Duration.ofHours(1))), false));
    receive(alert("api-1", AlertStatus.FIRING, T0), alert("api-2", AlertStatus.FIRING, T0),
        alert("api-3", AlertStatus.FIRING, T0), alert("api-4", AlertStatus.FIRING, T0));

    decide();

    assertThat(rows("select state, reason from remediation order by id")).containsExactly(
        "pending | all guards passed", "pending | all guards passed", "pending | all guards passed",
        "skipped | rule max_actions reached: 3 of 3 actions in the last 1h");
  }

  @Test
  void globalMaxActionsLimitsAllRulesTogether() {
    ruleSet = rules(Optional.of(new RateLimit(1, Duration.ofMinutes(10))),
        rule("restart-api", Optional.empty(), Optional.empty(), false));
    receive(alert("api-1", AlertStatus.FIRING, T0), alert("api-2", AlertStatus.FIRING, T0));
    decide();
    clock.advance(Duration.ofMinutes(11));
    receive(alert("api-3", AlertStatus.FIRING, T0));
    decide();

    assertThat(rows("select state, reason from remediation order by id")).containsExactly(
        "pending | all guards passed",
        "skipped | global max_actions reached: 1 of 1 actions in the last 10m",
        "pending | all guards passed");
  }

  @Test
  void hostileLabelValueIsRefusedByTheAllowlistAndNothingIsQueued() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), false));
    receive(alert("api;rm -rf /", AlertStatus.FIRING, T0), alert("-rf", AlertStatus.FIRING, T0));

    decide();

    assertThat(rows("select state, params from remediation order by id"))
        .containsExactly("skipped | {}", "skipped | {}");
    assertThat(rows("select reason from remediation order by id")).allSatisfy(reason ->
        assertThat(reason).startsWith("labels.service value "));
  }

  @Test
  void approvalRequiredHoldsTheRemediation() {
    ruleSet = rules(Optional.empty(), rule("rollback", Optional.empty(), Optional.empty(), true));
    receive(alert("api-1", AlertStatus.FIRING, T0));

    decide();

    assertThat(rows("select state, reason, counts from remediation"))
        .containsExactly("awaiting_approval | rule rollback requires approval | 1");
    assertThat(rows("select expires_at from remediation")).as("the default approval_ttl, 30m")
        .containsExactly("2026-11-22T10:30:00.000000Z");
    assertThat(rows("select count(*) from outbox")).as("no escalate_to, nobody to ask").containsExactly("0");
  }

  @Test
  void approvalRequiredAsksEscalateToForTheApprovalInTheSameTransaction() {
    RuleSet base = rules(Optional.empty(), rule("rollback", Optional.empty(), Optional.empty(), true));
    ruleSet = new RuleSet(base.source(), false, Optional.empty(), base.targets(), base.rules(), Optional.of("oncall"));
    receive(alert("api-1", AlertStatus.FIRING, T0));

    decide();

    String id = rows("select id from remediation").get(0);
    assertThat(rows("select remediation_id, kind, reason, due_at from outbox"))
        .containsExactly(id + " | escalate | approval_requested | 2026-11-22T10:00:00.000000Z");
    assertThat(rows("select payload from outbox").get(0)).contains("\"reason\":\"approval_requested\"",
        "\"escalateTo\":\"oncall\"", "\"expiresAt\":\"2026-11-22T10:30:00Z\"",
        "\"params\":{\"argv\":[\"/usr/bin/restart\",\"api-1\"]}", "\"error\":\"awaits approval until "
            + "2026-11-22T10:30:00Z\"");
    assertThat(rows("select detail from audit_event where kind = 'decided'").get(0))
        .contains("\"expiresAt\":\"2026-11-22T10:30:00Z\"");
  }

  @Test
  void resolvedAlertCancelsARemediationAwaitingApproval() {
    ruleSet = rules(Optional.empty(), rule("rollback", Optional.empty(), Optional.empty(), true));
    receive(alert("api-1", AlertStatus.FIRING, T0));
    decide();

    receive(new Alert(AlertStatus.RESOLVED, Labels.of("alertname", "HighErrorRate", "service", "api-1"), Labels.EMPTY,
        T0, Optional.of(T0.plusSeconds(60)), "", null));
    decide();

    assertThat(rows("select state, reason from remediation"))
        .containsExactly("cancelled | alert resolved before the action started");
    assertThat(rows("select kind, rule_name, outcome from audit_event where kind = 'cancelled'"))
        .containsExactly("cancelled | rollback | cancelled");
  }

  @Test
  void resolvedAlertCancelsWhatHasNotStarted() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), false));
    receive(alert("api-1", AlertStatus.FIRING, T0));
    decide();

    receive(new Alert(AlertStatus.RESOLVED, Labels.of("alertname", "HighErrorRate", "service", "api-1"), Labels.EMPTY,
        T0, Optional.of(T0.plusSeconds(60)), "", null));
    decide();

    assertThat(rows("select state, reason, counts from remediation"))
        .containsExactly("cancelled | alert resolved before the action started | 0");
    assertThat(rows("select kind, rule_name from audit_event where kind = 'cancelled'"))
        .containsExactly("cancelled | restart-api");
  }

  @Test
  void everyMatchingRuleGetsItsOwnRemediation() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), false),
        rule("page-oncall", Optional.empty(), Optional.empty(), false));
    receive(alert("api-1", AlertStatus.FIRING, T0));

    decide();

    assertThat(rows("select rule_name from remediation order by id")).containsExactly("restart-api", "page-oncall");
  }

  @Test
  void decidingAgainFindsNothingNew() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), false));
    receive(alert("api-1", AlertStatus.FIRING, T0));
    decide();

    assertThat(decide()).isZero();
    assertThat(rows("select count(*) from remediation")).containsExactly("1");
  }

  private static Alert[] services(int count, String prefix) {
    Alert[] alerts = new Alert[count];
    for (int i = 0; i < count; i++) {
      alerts[i] = alert(prefix + (i + 1), AlertStatus.FIRING, T0);
    }
    return alerts;
  }

  /** Counts by state, in a fixed order, e.g. {@code [dry_run | 3, skipped | 97]}. */
  private List<String> states() {
    return rows("select state, count(*) from remediation group by state order by state");
  }

  @Test
  void dryRunActsAsOftenAsLiveWouldUnderMaxActionsAndSkipsTheRestByTheSameGuard() {
    ruleSet = rules(Optional.empty(),
        rule("restart-api", Optional.empty(), Optional.of(new RateLimit(3, Duration.ofHours(1))), true, false));
    receive(services(100, "api-"));

    assertThat(decide()).isEqualTo(100);

    assertThat(states()).containsExactly("dry_run | 3", "skipped | 97");
    assertThat(rows("select distinct reason from remediation where state = 'dry_run'")).containsExactly(
        "rule restart-api has dry_run: true; would run: all guards passed");
    assertThat(rows("select distinct reason from remediation where state = 'skipped'")).containsExactly(
        "rule restart-api has dry_run: true; would skip: rule max_actions reached: 3 of 3 actions in the last 1h");
    assertThat(rows("select distinct outcome, detail from audit_event where kind = 'guard' and outcome = 'skip'"))
        .containsExactly("skip | {\"guard\":\"rate_limit\",\"reason\":\"rule max_actions reached: 3 of 3 actions in "
            + "the last 1h\"}");
    assertThat(rows("select count(*) from remediation where counts")).as("nothing charged to live")
        .containsExactly("0");

    Database live = database;
    database = InMemoryStore.open();
    try {
      ruleSet = rules(Optional.empty(),
          rule("restart-api", Optional.empty(), Optional.of(new RateLimit(3, Duration.ofHours(1))), false));
      receive(services(100, "api-"));
      decide();
      assertThat(states()).as("what live does with the same alerts").containsExactly("pending | 3", "skipped | 97");
      assertThat(rows("select distinct reason from remediation where state = 'skipped'"))
          .containsExactly("rule max_actions reached: 3 of 3 actions in the last 1h");
    } finally {
      database.close();
      database = live;
    }
  }

  @Test
  void dryRunActsOncePerCooldownAsLiveWould() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.of(Duration.ofMinutes(15)), Optional.empty(), true,
        false));
    Alert[] repeats = new Alert[100];
    for (int i = 0; i < repeats.length; i++) {
      repeats[i] = alert("api-1", AlertStatus.FIRING, T0.plusSeconds(i));
    }
    receive(repeats);

    decide();

    assertThat(states()).containsExactly("dry_run | 1", "skipped | 99");
    assertThat(rows("select distinct reason from remediation where state = 'skipped'")).containsExactly(
        "rule restart-api has dry_run: true; would skip: rule acted for group {service=\"api-1\"} at "
            + "2026-11-22T10:00:00Z; cooldown 15m lasts until 2026-11-22T10:15:00Z");
  }

  @Test
  void turningDryRunOffLeavesTheLiveBudgetUntouched() {
    Optional<RateLimit> threePerHour = Optional.of(new RateLimit(3, Duration.ofHours(1)));
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.of(Duration.ofMinutes(15)), threePerHour, true,
        false));
    receive(services(100, "api-"));
    decide();

    clock.advance(Duration.ofMinutes(1));
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.of(Duration.ofMinutes(15)), threePerHour, false));
    receive(alert("api-1", AlertStatus.FIRING, T0.plusSeconds(60)), alert("api-2", AlertStatus.FIRING,
        T0.plusSeconds(60)), alert("api-3", AlertStatus.FIRING, T0.plusSeconds(60)));
    decide();

    // The embedded store keeps instants as fixed-width UTC text: this is T0.
    assertThat(rows("select state, reason from remediation where decided_at > ? order by id",
        "2026-11-22T10:00:00.000000Z")).containsExactly(
        "pending | all guards passed", "pending | all guards passed", "pending | all guards passed");
  }

  @Test
  void dryRunSitsOutTheCooldownOfTheLastLiveActionAsLiveWould() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.of(Duration.ofMinutes(15)), Optional.empty(), false));
    receive(alert("api-1", AlertStatus.FIRING, T0));
    decide();

    clock.advance(Duration.ofMinutes(5));
    globalDryRun = true;
    receive(alert("api-1", AlertStatus.FIRING, T0.plusSeconds(300)));
    decide();

    assertThat(rows("select state, reason from remediation order by id")).containsExactly(
        "pending | all guards passed",
        "skipped | REMEDIATOR_DRY_RUN is set; would skip: rule acted for group {service=\"api-1\"} at "
            + "2026-11-22T10:00:00Z; cooldown 15m lasts until 2026-11-22T10:15:00Z");
  }

  @Test
  void dryRunOfARuleThatNeedsApprovalSaysItWouldWaitAndCountsAsLiveWould() {
    globalDryRun = true;
    ruleSet = rules(Optional.empty(),
        rule("rollback", Optional.empty(), Optional.of(new RateLimit(1, Duration.ofHours(1))), true));
    receive(alert("api-1", AlertStatus.FIRING, T0), alert("api-2", AlertStatus.FIRING, T0));

    decide();

    assertThat(rows("select state, reason, counts, counts_dry_run from remediation order by id")).containsExactly(
        "dry_run | REMEDIATOR_DRY_RUN is set; would await approval: rule rollback requires approval | 0 | 1",
        "skipped | REMEDIATOR_DRY_RUN is set; would skip: rule max_actions reached: 1 of 1 actions in the last 1h "
            + "| 0 | 0");
  }

  /** A cooldown that throws for one service, as a bug or a store quirk might for one alert. */
  private static Guard.OfLedger cooldownThatThrowsFor(String service, String rule) {
    CooldownGuard cooldown = new CooldownGuard();
    return new Guard.OfLedger() {
      @Override
      public String name() {
        return cooldown.name();
      }

      @Override
      public Verdict check(DecisionContext context, Ledger ledger) {
        if (context.rule().name().equals(rule) && service.equals(context.alert().alert().labels().get("service"))) {
          throw new IllegalStateException("cannot decide " + service);
        }
        return cooldown.check(context, ledger);
      }
    };
  }

  @Test
  void alertThatThrowsWhileCountingIsMarkedFailedAndAuditedWhileTheOthersAreDecided() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), false),
        rule("page-oncall", Optional.empty(), Optional.empty(), false));
    receive(alert("api-1", AlertStatus.FIRING, T0), alert("api-bad", AlertStatus.FIRING, T0),
        alert("api-3", AlertStatus.FIRING, T0));
    List<Guard> chain = List.of(new DryRunGuard(false), cooldownThatThrowsFor("api-bad", "page-oncall"),
        new RateLimitGuard(), new AllowlistGuard(), new ApprovalGuard());

    assertThat(decide(chain)).isEqualTo(3);

    assertThat(rows("select r.rule_name, a.labels from remediation r join alert a on a.id = r.alert_id order by r.id"))
        .as("the bad alert's first rule was written, then undone with the rest of that alert").containsExactly(
            "restart-api | {\"alertname\":\"HighErrorRate\",\"service\":\"api-1\"}",
            "page-oncall | {\"alertname\":\"HighErrorRate\",\"service\":\"api-1\"}",
            "restart-api | {\"alertname\":\"HighErrorRate\",\"service\":\"api-3\"}",
            "page-oncall | {\"alertname\":\"HighErrorRate\",\"service\":\"api-3\"}");
    assertThat(rows("select a.labels, e.outcome, e.detail from audit_event e join alert a on a.id = e.alert_id "
        + "where e.kind = 'decide_failed'")).containsExactly(
        "{\"alertname\":\"HighErrorRate\",\"service\":\"api-bad\"} | failed | "
            + "{\"error\":\"IllegalStateException: cannot decide api-bad\"}");
    assertThat(rows("select count(*) from audit_event e join alert a on a.id = e.alert_id "
        + "where a.labels like '%api-bad%' and e.kind <> 'received'")).as("nothing but the failure").containsExactly("1");
    assertThat(rows("select decide_error from alert where decide_error is not null"))
        .containsExactly("IllegalStateException: cannot decide api-bad");
    assertThat(rows("select count(*) from alert where decided_at is null")).containsExactly("0");

    assertThat(decide(chain)).as("the failed alert is not retried").isZero();
    assertThat(rows("select count(*) from audit_event where kind = 'decide_failed'")).containsExactly("1");
  }

  @Test
  void alertThatThrowsBeforeCountingIsMarkedFailedAndTheOthersAreDecided() {
    assertOnlyTheFailingAlertFails(() -> {
      throw new IllegalArgumentException();
    }, "IllegalArgumentException");
  }

  @Test
  void alertWhoseMatchingOverflowsTheStackIsMarkedFailedAndTheOthersAreDecided() {
    assertOnlyTheFailingAlertFails(() -> {
      throw new StackOverflowError();
    }, "StackOverflowError");
  }

  /** Phase 1 fails for the alert of service api-bad with {@code failure}; api-2 is decided as usual. */
  private void assertOnlyTheFailingAlertFails(Runnable failure, String audited) {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), false));
    receive(alert("api-bad", AlertStatus.FIRING, T0), alert("api-2", AlertStatus.FIRING, T0));
    Guard.OfContext approval = new Guard.OfContext() {
      @Override
      public String name() {
        return "approval";
      }

      @Override
      public Verdict check(DecisionContext context) {
        if ("api-bad".equals(context.alert().alert().labels().get("service"))) {
          failure.run();
        }
        return new Verdict.Pass("no approval required");
      }
    };

    assertThat(decide(List.of(new DryRunGuard(false), new CooldownGuard(), new RateLimitGuard(), new AllowlistGuard(),
        approval))).isEqualTo(2);

    assertThat(rows("select state, params from remediation")).containsExactly(
        "pending | {\"argv\":[\"/usr/bin/restart\",\"api-2\"]}");
    assertThat(rows("select outcome, detail from audit_event where kind = 'decide_failed'"))
        .containsExactly("failed | {\"error\":\"" + audited + "\"}");
    assertThat(decide()).isZero();
  }

  @Test
  void alertDecidedByAnotherReplicaMeanwhileIsLeftAlone() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), false));
    receive(alert("api-1", AlertStatus.FIRING, T0));
    GuardChain chain = new GuardChain(List.of(new DryRunGuard(false), new CooldownGuard(), new RateLimitGuard(),
        new AllowlistGuard(), new ApprovalGuard()));
    RulesBehind otherReplica = new RulesBehind(() -> decide());
    Decider decider = new Decider(new AlertInbox(), new RemediationStore(), new OutboxStore(), new AuditLog(), chain,
        otherReplica, Map.of("command", COMMAND), new ParamRenderer(), Pins.NONE, blastRadius(), clock,
        new RemediatorMetrics(meters));

    assertThat(decider.decideBatch(database, 100)).isZero();

    assertThat(rows("select count(*) from remediation")).containsExactly("1");
    assertThat(rows("select kind from audit_event order by id")).containsExactly("matched", "guard", "guard", "guard",
        "guard", "guard", "decided");
  }

  /** Hands out the rule set after running {@code meanwhile}: another replica deciding between the two phases. */
  private final class RulesBehind implements java.util.function.Supplier<RuleSet> {
    private final Runnable meanwhile;

    RulesBehind(Runnable meanwhile) {
      this.meanwhile = meanwhile;
    }

    @Override
    public RuleSet get() {
      meanwhile.run();
      return ruleSet;
    }
  }

  @Test
  void skippedDecisionIsLoggedWithItsGuardAndReason() {
    Logger logger = (Logger) LoggerFactory.getLogger(Decider.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    Level level = logger.getLevel();
    logger.setLevel(Level.INFO);
    logger.addAppender(logged);
    try {
      ruleSet = rules(Optional.empty(), rule("restart-api", Optional.of(Duration.ofMinutes(15)), Optional.empty(),
          false));
      receive(alert("api-1", AlertStatus.FIRING, T0), alert("api-1", AlertStatus.FIRING, T0.plusSeconds(1)));

      decide();
    } finally {
      logger.detachAppender(logged);
      logger.setLevel(level);
    }

    String reason = "rule acted for group {service=\"api-1\"} at 2026-11-22T10:00:00Z; cooldown 15m lasts until "
        + "2026-11-22T10:15:00Z";
    assertThat(logged.list).singleElement().satisfies(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.INFO);
      assertThat(event.getFormattedMessage())
          .isEqualTo("rule restart-api skipped alert HighErrorRate: cooldown says " + reason);
      assertThat(event.getKeyValuePairs()).extracting(pair -> pair.key + "=" + pair.value).contains(
          "rule=restart-api", "guard=cooldown", "reason=" + reason, "alertname=HighErrorRate", "dryRun=false");
    });
  }

  @Test
  void alertStartingMoreThanFiveMinutesAheadIsSkippedWhileSmallSkewIsTolerated() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), false));
    receive(alert("api-1", AlertStatus.FIRING, T0.plus(Duration.ofMinutes(5)).plusSeconds(1)));
    receive(alert("api-2", AlertStatus.FIRING, T0.plus(Duration.ofMinutes(4))));

    assertThat(decide()).isEqualTo(2);

    assertThat(rows("select group_key, state, reason from remediation order by id")).containsExactly(
        "{service=\"api-1\"} | skipped | startsAt 2026-11-22T10:05:01Z lies more than 5m in the future"
            + " (now 2026-11-22T10:00:00Z): clocks disagree, so the alert's timing cannot be trusted",
        "{service=\"api-2\"} | pending | all guards passed");
    assertThat(rows("select outcome, detail from audit_event where kind = 'decided' and rule_name = 'restart-api'"
        + " and detail like '%occurrence%'")).singleElement().asString()
        .startsWith("skipped | {\"check\":\"occurrence\",\"reason\":\"startsAt 2026-11-22T10:05:01Z lies more");
    assertThat(rows("select count(*) from audit_event where kind = 'guard' and detail like '%api-1%'"))
        .as("no guard is asked about an occurrence refused before the guards").containsExactly("0");
  }

  @Test
  void firingNotificationStoredAfterItsResolvedOneIsSkipped() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), false));
    Instant startsAt = T0.minus(Duration.ofMinutes(10));
    receive(alert("api-1", AlertStatus.RESOLVED, startsAt));
    receive(alert("api-1", AlertStatus.FIRING, startsAt));
    long resolvedId = Long.parseLong(rows("select id from alert where status = 'resolved'").get(0));

    decide();

    assertThat(rows("select state, reason from remediation")).containsExactly(
        "skipped | the firing notification arrived after the resolved one (stored as alert " + resolvedId
            + "): the alert is over");
    assertThat(rows("select outcome from audit_event where kind = 'decided'")).containsExactly("skipped");
  }

  @Test
  void firingNotificationStoredBeforeItsResolvedOneStillActsUntilResolved() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), false));
    Instant startsAt = T0.minus(Duration.ofMinutes(10));
    receive(alert("api-1", AlertStatus.FIRING, startsAt));
    receive(alert("api-1", AlertStatus.RESOLVED, startsAt));

    decide();

    assertThat(rows("select state, reason from remediation")).containsExactly(
        "cancelled | alert resolved before the action started");
  }

  @Test
  void theSameOccurrenceStoredAgainWithAStartInTheSameMillisecondIsSkipped() {
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), false));
    Instant fromWebhook = T0.minus(Duration.ofMinutes(10)).plusNanos(123_456_000);
    receive(alert("api-1", AlertStatus.FIRING, fromWebhook.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
    receive(alert("api-1", AlertStatus.FIRING, fromWebhook));

    decide();

    assertThat(rows("select state from remediation order by id")).containsExactly("pending", "skipped");
    assertThat(rows("select reason from remediation where state = 'skipped'")).singleElement().asString()
        .startsWith("the same occurrence was already stored as alert ");
  }
}
