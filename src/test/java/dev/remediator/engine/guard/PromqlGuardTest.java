package dev.remediator.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import dev.remediator.audit.AuditLog;
import dev.remediator.engine.BlastRadius;
import dev.remediator.engine.Decider;
import dev.remediator.engine.GuardChain;
import dev.remediator.engine.KillSwitch;
import dev.remediator.engine.Pins;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.rules.ParamRenderer;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.RulesLoader;
import dev.remediator.rules.TestCatalog;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.Database;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.PauseStore;
import dev.remediator.store.RemediationStore;
import dev.remediator.testing.FreshStore;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.PrometheusProcess;
import dev.remediator.testing.Rows;
import dev.remediator.upstream.PrometheusClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PromQL guard in the decider's chain, asking a real Prometheus (constant expressions stand
 * for the service's metrics): a guard that holds lets the rule act, one that does not skips it
 * with the value seen, and a Prometheus that cannot answer, or none configured, skips it saying
 * so. Every verdict lands in the audit log.
 */
class PromqlGuardTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final OkHttpClient HTTP = new OkHttpClient();
  private static PrometheusProcess prometheus;

  private final MutableClock clock = MutableClock.at(T0);
  @RegisterExtension
  final FreshStore store = FreshStore.inMemory();
  private Database database;

  @BeforeAll
  static void startPrometheus() {
    prometheus = PrometheusProcess.start("global: {evaluation_interval: 1m}\n", Map.of());
  }

  @AfterAll
  static void stopPrometheus() {
    prometheus.close();
    HTTP.dispatcher().executorService().shutdown();
    HTTP.connectionPool().evictAll();
  }

  @BeforeEach
  void open() {
    database = store.database();
  }

  private static PromqlGuard guardAsking(String url) {
    return new PromqlGuard(Optional.of(new PrometheusClient(() -> HTTP, new ObjectMapper(), url,
        Duration.ofSeconds(3))));
  }

  private static RuleSet rules(String guard) {
    return new RulesLoader(TestCatalog.actions(), Map.of()).parse("test.yml", """
        targets:
          deployer: {kind: command}
        rules:
          - name: restart-api
            match: ['alertname="HighErrorRate"']
            action: command
            target: deployer
            with: {argv: ["/usr/bin/restart", "api"]}
        """ + guard);
  }

  /** Receives one firing HighErrorRate alert and decides it with the usual guards and {@code promql}. */
  private void decide(RuleSet ruleSet, PromqlGuard promql) {
    Alert alert = new Alert(AlertStatus.FIRING, Labels.of("alertname", "HighErrorRate", "service", "api"),
        Labels.EMPTY, T0, Optional.empty(), "", null);
    Notification notification = new Notification("4", "g", 0, AlertStatus.FIRING, "remediator", null, null, null, "",
        Optional.empty(), List.of(alert));
    database.inTransaction(c -> new NotificationStore().store(c,
        List.of(new IncomingNotification(notification, "{}", "alertmanager@test", T0))));
    GuardChain chain = new GuardChain(List.of(new DryRunGuard(false), new CooldownGuard(), new RateLimitGuard(),
        new AllowlistGuard(), new ApprovalGuard(), promql));
    Decider decider = new Decider(new AlertInbox(), new RemediationStore(), new OutboxStore(), new AuditLog(), chain,
        () -> ruleSet, TestCatalog.actions(), new ParamRenderer(), Pins.NONE,
        new BlastRadius(new KillSwitch(database, new PauseStore(), new AuditLog(), clock), new OutboxStore()), clock,
        new RemediatorMetrics(new SimpleMeterRegistry()));
    assertThat(decider.decideBatch(database, 10)).isEqualTo(1);
  }

  private List<String> remediation() {
    return Rows.of(database, "select state, reason from remediation");
  }

  private List<String> promqlVerdict() {
    return Rows.of(database, "select outcome, detail from audit_event where kind = 'guard'"
        + " and detail like '%\"guard\":\"promql\"%'");
  }

  @Test
  void aGuardThatHoldsLetsTheRuleActAndAuditsTheValue() {
    decide(rules("    guard: {promql: 'vector(0.9)', expect: '>= 0.8'}\n"), guardAsking(prometheus.url().toString()));

    assertThat(remediation()).containsExactly("pending | all guards passed");
    assertThat(promqlVerdict()).containsExactly(
        "pass | {\"guard\":\"promql\",\"reason\":\"guard vector(0.9) = 0.9, meets >= 0.8\"}");
  }

  @Test
  void aGuardThatDoesNotHoldSkipsWithTheValueSeen() {
    decide(rules("    guard: {promql: 'sum(vector(0.5))', expect: '>= 0.8'}\n"),
        guardAsking(prometheus.url().toString()));

    assertThat(remediation()).containsExactly("skipped | guard sum(vector(0.5)) = 0.5, expected >= 0.8");
    assertThat(promqlVerdict()).containsExactly(
        "skip | {\"guard\":\"promql\",\"reason\":\"guard sum(vector(0.5)) = 0.5, expected >= 0.8\"}");
  }

  @Test
  void aGuardWithNoOneValueSkipsSayingWhy() {
    decide(rules("    guard: {promql: 'vector(1) > 2', expect: '== 0'}\n"), guardAsking(prometheus.url().toString()));

    assertThat(remediation()).containsExactly("skipped | could not evaluate guard vector(1) > 2: the query returned"
        + " no series (an empty vector)");
  }

  @Test
  void anUnreachablePrometheusSkipsSayingSo() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    decide(rules("    guard: {promql: 'vector(0.9)', expect: '>= 0.8'}\n"), guardAsking("http://127.0.0.1:" + port));

    assertThat(remediation()).singleElement().asString()
        .startsWith("skipped | could not evaluate guard vector(0.9): Prometheus at http://127.0.0.1:" + port
            + "/ is unreachable: ");
    assertThat(promqlVerdict()).singleElement().asString().startsWith("skip | ");
  }

  @Test
  void noPrometheusConfiguredSkipsARuleWithAGuard() {
    decide(rules("    guard: {promql: 'vector(0.9)', expect: '>= 0.8'}\n"), new PromqlGuard(Optional.empty()));

    assertThat(remediation()).containsExactly("skipped | could not evaluate guard vector(0.9):"
        + " REMEDIATOR_PROMETHEUS_URL is not set, so no guard can be checked");
  }

  @Test
  void aRuleWithoutAGuardPassesWithoutAskingPrometheus() {
    decide(rules(""), new PromqlGuard(Optional.empty()));

    assertThat(remediation()).containsExactly("pending | all guards passed");
    assertThat(promqlVerdict()).containsExactly("pass | {\"guard\":\"promql\",\"reason\":\"no promql guard\"}");
  }
}
