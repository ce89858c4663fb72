package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.action.catalog.ActionCatalog;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import dev.remediator.app.Simulations;
import dev.remediator.engine.guard.AllowlistGuard;
import dev.remediator.engine.guard.ApprovalGuard;
import dev.remediator.engine.guard.CooldownGuard;
import dev.remediator.engine.guard.DryRunGuard;
import dev.remediator.engine.guard.MaxFractionGuard;
import dev.remediator.engine.guard.RateLimitGuard;
import dev.remediator.rules.ParamRenderer;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.RulesLoader;
import dev.remediator.store.Database;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.StoredAlerts;
import dev.remediator.testing.Rows;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A candidate rules file simulated over stored history: cooldowns and rate limits count the
 * simulation's own decisions, exactly, across pages of alerts; only the window is read; nothing
 * is written. Run once per store.
 */
abstract class SimulatorContract {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final String CANDIDATE = """
      targets:
        host: {kind: command}
      rules:
        - name: restart-api
          match: ['alertname="HighErrorRate"']
          action: command
          target: host
          with: {argv: ["/bin/true", "{{ labels.service }}"]}
          allow: {service: "[a-z0-9-]{1,63}"}
          cooldown: 15m
          group_by: [service]
        - name: page-api
          match: ['alertname="HighErrorRate"']
          action: command
          target: host
          with: {argv: ["/bin/true"]}
          max_actions: {count: 2, per: 1h}
        - name: rollback
          match: ['alertname="ErrorBudgetBurn"']
          action: command
          target: host
          with: {argv: ["/bin/true"]}
          approval: required
        - name: never
          match: ['alertname="Nothing"']
          action: command
          target: host
          with: {argv: ["/bin/true"]}
      """;

  private Database database;

  abstract Database openDatabase();

  @BeforeEach
  void open() {
    database = openDatabase();
  }

  @AfterEach
  void close() {
    database.close();
  }

  static RuleSet candidate() {
    return new RulesLoader(ActionCatalog.specs(), Map.of()).parse("candidate.yml", CANDIDATE);
  }

  static Simulator paged(int page) {
    GuardChain guards = new GuardChain(List.of(new DryRunGuard(false), new CooldownGuard(), new RateLimitGuard(),
        new MaxFractionGuard(), new AllowlistGuard(), new ApprovalGuard()));
    return new Simulator(guards, new DecisionContexts(ActionCatalog.specs(), new ParamRenderer()), new StoredAlerts(),
        page);
  }

  /** Stores one alert, received {@code minutes} after T0, starting a minute before. */
  static void receive(Database database, String alertname, String service, long minutes, AlertStatus status) {
    Instant received = T0.plus(Duration.ofMinutes(minutes));
    Alert alert = new Alert(status, Labels.of("alertname", alertname, "service", service), Labels.EMPTY,
        received.minus(Duration.ofMinutes(1)), Optional.empty(), "", "fp-" + alertname + "-" + service);
    Notification notification = new Notification("4", "g", 0, status, "remediator", null, null, null, "",
        Optional.empty(), List.of(alert));
    database.inTransaction(c -> new NotificationStore().store(c,
        List.of(new IncomingNotification(notification, "{}", "alertmanager@test", received))));
  }

  /**
   * Ten HighErrorRate alerts of service api five minutes apart, a hostile service name at 47m,
   * an ErrorBudgetBurn at 3m, a resolved alert at 50m, and one alert on each side of the window.
   */
  static void storeHistory(Database database) {
    receive(database, "HighErrorRate", "api", -120, AlertStatus.FIRING);
    for (int k = 0; k < 10; k++) {
      receive(database, "HighErrorRate", "api", 5L * k, AlertStatus.FIRING);
    }
    receive(database, "ErrorBudgetBurn", "api", 3, AlertStatus.FIRING);
    receive(database, "HighErrorRate", "x y", 47, AlertStatus.FIRING);
    receive(database, "HighErrorRate", "web", 50, AlertStatus.RESOLVED);
    receive(database, "HighErrorRate", "api", 120, AlertStatus.FIRING);
  }

  private static SimulationWindow window() {
    return new SimulationWindow(T0, T0.plus(Duration.ofHours(1)));
  }

  @Test
  void cooldownsAndRateLimitsCountTheSimulationsOwnDecisionsExactlyAcrossPages() {
    storeHistory(database);
    List<String> before = Rows.of(database, "select (select count(*) from remediation), "
        + "(select count(*) from audit_event), (select count(*) from alert where decided_at is not null)");

    SimulationReport report = paged(4).run(database, candidate(), window());

    assertThat(report.alertsRead()).isEqualTo(13);
    assertThat(report.firingAlerts()).isEqualTo(12);
    assertThat(report.notSimulated()).containsExactly("paused", "breaker", "promql");
    assertThat(report.rules()).extracting(SimulationReport.RuleReport::rule)
        .containsExactly("restart-api", "page-api", "rollback", "never");

    SimulationReport.RuleReport restart = report.rules().get(0);
    assertThat(restart.matched()).isEqualTo(11);
    assertThat(restart.wouldAct()).isEqualTo(4);
    assertThat(restart.stoppedBy()).containsExactly(Map.entry("cooldown", 6L), Map.entry("allowlist", 1L));
    assertThat(restart.examples().get("acted")).extracting(SimulationReport.Example::receivedAt)
        .containsExactly(T0, T0.plus(Duration.ofMinutes(15)), T0.plus(Duration.ofMinutes(30)));
    assertThat(restart.examples().get("cooldown")).extracting(SimulationReport.Example::receivedAt)
        .containsExactly(T0.plus(Duration.ofMinutes(5)), T0.plus(Duration.ofMinutes(10)),
            T0.plus(Duration.ofMinutes(20)));
    SimulationReport.Example first = restart.examples().get("cooldown").get(0);
    assertThat(first.alertname()).isEqualTo("HighErrorRate");
    assertThat(first.fingerprint()).isEqualTo("fp-HighErrorRate-api");
    assertThat(first.startsAt()).isEqualTo(T0.plus(Duration.ofMinutes(4)));
    assertThat(first.reason()).isEqualTo("rule acted for group {service=\"api\"} at " + T0
        + "; cooldown 15m lasts until " + T0.plus(Duration.ofMinutes(15)));
    assertThat(restart.examples().get("allowlist").get(0).fingerprint()).isEqualTo("fp-HighErrorRate-x y");

    SimulationReport.RuleReport page = report.rules().get(1);
    assertThat(page.matched()).isEqualTo(11);
    assertThat(page.wouldAct()).isEqualTo(2);
    assertThat(page.stoppedBy()).containsExactly(Map.entry("rate_limit", 9L));

    SimulationReport.RuleReport rollback = report.rules().get(2);
    assertThat(rollback.matched()).isEqualTo(1);
    assertThat(rollback.wouldAct()).isZero();
    assertThat(rollback.awaitingApproval()).isEqualTo(1);

    SimulationReport.RuleReport never = report.rules().get(3);
    assertThat(never.matched()).isZero();
    assertThat(never.examples()).isEmpty();

    assertThat(Rows.of(database, "select (select count(*) from remediation), (select count(*) from audit_event), "
        + "(select count(*) from alert where decided_at is not null)")).isEqualTo(before);
  }

  @Test
  void theSharedSimulatorReportsWhatAPagedOneDoes() {
    storeHistory(database);

    SimulationReport shared = Simulations.simulator().run(database, candidate(), window());

    assertThat(shared).isEqualTo(paged(3).run(database, candidate(), window()));
  }

  @Test
  void anEmptyWindowMatchesNothing() {
    storeHistory(database);

    SimulationReport report = paged(4).run(database, candidate(),
        new SimulationWindow(T0.minus(Duration.ofDays(7)), T0.minus(Duration.ofDays(6))));

    assertThat(report.alertsRead()).isZero();
    assertThat(report.rules()).allSatisfy(rule -> assertThat(rule.matched()).isZero());
  }
}
