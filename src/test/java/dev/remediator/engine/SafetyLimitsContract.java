package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.remediator.engine.guard.MaxFractionGuard;
import dev.remediator.engine.guard.PausedGuard;
import dev.remediator.engine.guard.RateLimitGuard;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.rules.BreakerSettings;
import dev.remediator.rules.OnInterrupt;
import dev.remediator.rules.ParamRenderer;
import dev.remediator.rules.RateLimit;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.Safeguards;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.Database;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.Pause;
import dev.remediator.store.PauseStore;
import dev.remediator.store.RemediationStore;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
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
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The limits that stop automation as a whole or per service, decided for real on a store: the
 * kill switch, the global {@code max_actions} (blast radius) and {@code max_fraction}. Run once
 * per store.
 */
abstract class SafetyLimitsContract {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final MutableClock clock = MutableClock.at(T0);
  private Database database;
  private KillSwitch killSwitch;
  private RuleSet ruleSet;

  abstract Database openDatabase();

  @BeforeEach
  void open() {
    database = openDatabase();
    killSwitch = new KillSwitch(database, new PauseStore(), new AuditLog(), clock);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private static Rule restart(Optional<RateLimit> maxActions, OptionalDouble maxFraction) {
    Safeguards safeguards = new Safeguards(BreakerSettings.Override.NONE, OptionalInt.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Safeguards.DEFAULT_APPROVAL_TTL, OnInterrupt.ESCALATE, maxFraction,
        Optional.empty());
    return new Rule("restart-api", 1, List.of(LabelMatcher.of("alertname", LabelMatcher.Op.EQUAL, "PodCrashLooping")),
        "restart", "cluster", Map.of("deployment", "{{ labels.service }}"),
        Map.of("service", Pattern.compile("^(?:[a-z0-9-]{1,63})$")), Optional.empty(), List.of("pod"), maxActions,
        false, false, safeguards);
  }

  private static RuleSet rules(Optional<RateLimit> global, Rule rule) {
    return new RuleSet("test.yml", false, global,
        Map.of("cluster", new Target("cluster", TargetKind.KUBERNETES, Map.of()),
            "oncall", new Target("oncall", TargetKind.WEBHOOK, Map.of())),
        List.of(rule), Optional.of("oncall"));
  }

  private static Alert crashLooping(String service, String pod) {
    return new Alert(AlertStatus.FIRING, Labels.of("alertname", "PodCrashLooping", "service", service, "pod", pod),
        Labels.EMPTY, T0, Optional.empty(), "", null);
  }

  private void receive(List<Alert> alerts) {
    Notification notification = new Notification("4", "g", 0, AlertStatus.FIRING, "remediator", null, null, null, "",
        Optional.empty(), alerts);
    database.inTransaction(c -> new NotificationStore().store(c,
        List.of(new IncomingNotification(notification, "{}", "alertmanager@test", clock.instant()))));
  }

  /** Decides every undecided alert, {@code batch} at a time; returns how many batches it took. */
  private int decideAll(int batch) {
    GuardChain guards = new GuardChain(List.of(new PausedGuard(killSwitch), new DryRunGuard(false),
        new CooldownGuard(), new RateLimitGuard(), new MaxFractionGuard(), new AllowlistGuard(), new ApprovalGuard()));
    Decider decider = new Decider(new AlertInbox(), new RemediationStore(), new OutboxStore(), new AuditLog(), guards,
        () -> ruleSet,
        Map.of("restart", new RecordingAction("restart").spec()), new ParamRenderer(), Pins.NONE,
        new BlastRadius(killSwitch, new OutboxStore()), clock, new RemediatorMetrics(new SimpleMeterRegistry()));
    int batches = 0;
    while (decider.decideBatch(database, batch) > 0) {
      batches++;
    }
    return batches;
  }

  private List<String> rows(String sql) {
    return Rows.of(database, sql);
  }

  @Test
  void whilePausedEveryDecisionIsSkippedByThePausedGuardNamingWhoWhyAndUntilWhen() {
    ruleSet = rules(Optional.empty(), restart(Optional.empty(), OptionalDouble.empty()));
    killSwitch.pause("operator@10.0.0.7", "deploy freeze", Optional.of(Duration.ofHours(1)));
    receive(List.of(crashLooping("api", "api-0")));

    decideAll(10);

    String why = "remediator is paused by operator@10.0.0.7 until 2026-11-22T11:00:00Z: deploy freeze";
    assertThat(rows("select state, reason from remediation")).containsExactly("skipped | " + why);
    assertThat(rows("select outcome, detail from audit_event where kind = 'guard' order by id").get(0))
        .isEqualTo("skip | {\"guard\":\"paused\",\"reason\":\"" + why + "\"}");
    assertThat(rows("select detail from audit_event where kind = 'decided'")).singleElement()
        .satisfies(detail -> assertThat(detail).contains("\"guard\":\"paused\""));

    killSwitch.resume("operator@10.0.0.7");
    receive(List.of(crashLooping("api", "api-1")));
    decideAll(10);

    assertThat(rows("select state from remediation order by id")).containsExactly("skipped", "pending");
  }

  @Test
  void anAlertStormActsAtMostTheGlobalCountThenPausesAndEscalatesOnce() {
    ruleSet = rules(Optional.of(new RateLimit(5, Duration.ofMinutes(10))),
        restart(Optional.empty(), OptionalDouble.empty()));
    List<Alert> storm = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      storm.add(crashLooping("api", "api-" + i));
    }
    receive(storm);

    assertThat(decideAll(10)).isEqualTo(5);

    assertThat(rows("select state, count(*) from remediation group by state order by state"))
        .containsExactly("pending | 5", "skipped | 45");
    Optional<Pause> pause = killSwitch.current();
    assertThat(pause).map(Pause::reason).contains("blast radius: 5 actions in 10m");
    assertThat(pause).map(Pause::actor).contains("remediator");
    assertThat(pause).map(Pause::endsAt).contains(Optional.empty());
    assertThat(rows("select kind, actor, outcome from audit_event where kind in ('paused', 'resumed')"))
        .containsExactly("paused | remediator | paused");
    long tripped = Long.parseLong(rows("select min(id) from remediation where state = 'skipped'").get(0));
    assertThat(rows("select remediation_id, kind from outbox")).containsExactly(tripped + " | escalate");
    assertThat(rows("select payload from outbox")).singleElement().satisfies(payload -> assertThat(payload)
        .contains("\"reason\":\"blast_radius\"", "\"escalateTo\":\"oncall\"",
            "\"error\":\"blast radius: 5 actions in 10m; remediator paused itself until an operator resumes it\""));
    assertThat(rows("select reason from remediation where id = " + tripped))
        .containsExactly("global max_actions reached: 5 of 5 actions in the last 10m");
    assertThat(rows("select count(*) from remediation where reason like 'remediator is paused by remediator "
        + "until resumed: blast radius: 5 actions in 10m'")).as("the batches after the pause").containsExactly("40");
  }

  @Test
  void aDryRunThatUsesUpTheGlobalLimitNeverPausesLiveAutomation() {
    Rule rule = restart(Optional.empty(), OptionalDouble.empty());
    ruleSet = new RuleSet("test.yml", true, Optional.of(new RateLimit(1, Duration.ofMinutes(10))),
        rules(Optional.empty(), rule).targets(), List.of(rule), Optional.of("oncall"));
    receive(List.of(crashLooping("api", "api-0"), crashLooping("api", "api-1")));

    decideAll(10);

    assertThat(rows("select state from remediation order by id")).containsExactly("dry_run", "skipped");
    assertThat(killSwitch.current()).isEmpty();
    assertThat(rows("select count(*) from outbox")).containsExactly("0");
  }

  @Test
  void aRulesOwnMaxActionsIsAPlainSkip() {
    ruleSet = rules(Optional.of(new RateLimit(50, Duration.ofMinutes(10))),
        restart(Optional.of(new RateLimit(2, Duration.ofMinutes(10))), OptionalDouble.empty()));
    receive(List.of(crashLooping("api", "api-0"), crashLooping("api", "api-1"), crashLooping("api", "api-2")));

    decideAll(10);

    assertThat(rows("select state from remediation order by id")).containsExactly("pending", "pending", "skipped");
    assertThat(killSwitch.current()).isEmpty();
    assertThat(rows("select count(*) from outbox")).containsExactly("0");
  }

  @Test
  void maxFractionNeverTouchesMoreThanItsShareOfOneServicesInstances() {
    ruleSet = rules(Optional.empty(), restart(Optional.empty(), OptionalDouble.of(0.5)));
    receive(List.of(crashLooping("api", "api-0"), crashLooping("api", "api-1"), crashLooping("api", "api-2"),
        crashLooping("api", "api-3"), crashLooping("web", "web-0")));

    decideAll(10);

    String tooMany = "would restart 3 of 4 instances of api (75% > 50%) in the last 1h";
    assertThat(rows("select state, reason from remediation")).containsExactlyInAnyOrder(
        "pending | all guards passed",
        "pending | all guards passed",
        "skipped | " + tooMany,
        "skipped | " + tooMany,
        "skipped | would restart 1 of 1 instances of web (100% > 50%) in the last 1h");
    assertThat(rows("select outcome, detail from audit_event where kind = 'guard' and detail like "
        + "'%max_fraction%' order by id")).containsExactlyInAnyOrder(
        "pass | {\"guard\":\"max_fraction\",\"reason\":\"would restart 1 of 4 instances of api (25% <= 50%) in the last 1h\"}",
        "pass | {\"guard\":\"max_fraction\",\"reason\":\"would restart 2 of 4 instances of api (50% <= 50%) in the last 1h\"}",
        "skip | {\"guard\":\"max_fraction\",\"reason\":\"" + tooMany + "\"}",
        "skip | {\"guard\":\"max_fraction\",\"reason\":\"" + tooMany + "\"}",
        "skip | {\"guard\":\"max_fraction\",\"reason\":\"would restart 1 of 1 instances of web (100% > 50%) in the last 1h\"}");
  }
}
