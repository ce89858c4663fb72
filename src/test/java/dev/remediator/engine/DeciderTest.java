package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.action.ActionSpec;
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
import dev.remediator.intake.IncomingNotification;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.rules.ParamRenderer;
import dev.remediator.rules.RateLimit;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.Target;
import dev.remediator.rules.TargetKind;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.Database;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.RemediationStore;
import dev.remediator.testing.InMemoryStore;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.RecordingAction;
import dev.remediator.testing.Rows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeciderTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final ActionSpec COMMAND = new RecordingAction("command").spec();

  private final MutableClock clock = MutableClock.at(T0);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private Database database;
  private RuleSet ruleSet;
  private boolean globalDryRun;

  @BeforeEach
  void open() {
    database = InMemoryStore.open();
  }

  @AfterEach
  void close() {
    database.close();
  }

  private static Rule rule(String name, Optional<Duration> cooldown, Optional<RateLimit> maxActions, boolean approval) {
    return new Rule(name, 1, List.of(LabelMatcher.of("alertname", LabelMatcher.Op.EQUAL, "HighErrorRate")),
        "command", "deployer", Map.of("argv", List.of("/usr/bin/restart", "{{ labels.service }}")),
        Map.of("service", Pattern.compile("^(?:[a-z0-9-]{1,63})$")), cooldown, List.of("service"), maxActions, false,
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
    database.inTransaction(c -> new NotificationStore(new AuditLog()).store(c,
        List.of(new IncomingNotification(notification, "{}", "alertmanager@test", clock.instant()))));
  }

  private int decide() {
    RemediationStore remediations = new RemediationStore();
    GuardChain guards = new GuardChain(List.of(new DryRunGuard(globalDryRun), new CooldownGuard(remediations),
        new RateLimitGuard(remediations), new AllowlistGuard(), new ApprovalGuard()));
    Decider decider = new Decider(new AlertInbox(), remediations, new AuditLog(), guards, () -> ruleSet,
        Map.of("command", COMMAND), new ParamRenderer(), clock, new RemediatorMetrics(meters));
    return decider.decideBatch(database, 100);
  }

  private List<String> rows(String sql) {
    return Rows.of(database, sql);
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
        .containsExactly("received", "matched", "guard", "guard", "guard", "guard", "guard", "decided");
    assertThat(rows("select count(*) from alert where decided_at is null")).containsExactly("0");
    assertThat(meters.get("remediator_decisions").tag("rule", "restart-api").tag("verdict", "pending").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void alertMatchingNoRuleIsAuditedAsUnmatched() {
    ruleSet = rules(Optional.empty());
    receive(alert("api-1", AlertStatus.FIRING, T0));

    decide();

    assertThat(rows("select kind, outcome from audit_event order by id")).containsExactly("received | firing",
        "unmatched | no_rule");
    assertThat(rows("select count(*) from remediation")).containsExactly("0");
  }

  @Test
  void dryRunDecidesAndAuditsButDoesNotQueueAndStillShowsTheOtherGuards() {
    globalDryRun = true;
    ruleSet = rules(Optional.empty(), rule("restart-api", Optional.empty(), Optional.empty(), false));
    receive(alert("api-1", AlertStatus.FIRING, T0));

    decide();

    assertThat(rows("select state, reason, counts from remediation"))
        .containsExactly("dry_run | REMEDIATOR_DRY_RUN is set | FALSE");
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
        .containsExactly("awaiting_approval | rule rollback requires approval | TRUE");
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
        .containsExactly("cancelled | alert resolved before the action started | FALSE");
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
}
