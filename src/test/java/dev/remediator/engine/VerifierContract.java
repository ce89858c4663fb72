package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.action.ActionResult;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import dev.remediator.audit.AuditLog;
import dev.remediator.json.Canonical;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.resilience.Backoff;
import dev.remediator.resilience.Breakers;
import dev.remediator.resilience.RetryPolicy;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.RulesLoader;
import dev.remediator.rules.TestCatalog;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.BreakerStore;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.Database;
import dev.remediator.store.FollowUp;
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
import dev.remediator.testing.PrometheusProcess;
import dev.remediator.testing.Rows;
import dev.remediator.upstream.HttpProbe;
import dev.remediator.upstream.PrometheusClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Verification after acting, on a real store whichever it is (reopened to stand for a restart): a
 * succeeded action whose rule has {@code verify:} leaves a follow-up in the outbox; the
 * {@link Verifier} looks at it every poll until the check holds (verified) or its deadline
 * passes (not verified, escalated once). PromQL checks ask a real Prometheus; MockWebServer
 * stands for the service's health endpoint.
 */
abstract class VerifierContract {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final OkHttpClient HTTP = new OkHttpClient();
  private static PrometheusProcess prometheus;

  final MutableClock clock = MutableClock.at(T0);
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final MockWebServer health = new MockWebServer();
  final List<VerificationEnded.Ended> ended = new CopyOnWriteArrayList<>();
  Database database;
  private RuleSet ruleSet;
  private Alert firing;

  /** The store under test, migrated; each call opens the same store again, as a restarted process would. */
  abstract Database openStore();

  /** Removes the store once the test has closed it. */
  abstract void dropStore();

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
  void open() throws IOException {
    health.start();
    database = openStore();
  }

  @AfterEach
  void close() throws IOException {
    database.close();
    dropStore();
    health.shutdown();
  }

  private static RuleSet rules(String verify) {
    return new RulesLoader(TestCatalog.actions(), Map.of()).parse("test.yml", """
        targets:
          deployer: {kind: command}
          oncall: {kind: webhook, url: "http://127.0.0.1:9/oncall", format: slack}
        escalate_to: oncall
        rules:
          - name: restart-api
            match: ['alertname="HighErrorRate"']
            action: command
            target: deployer
            with: {argv: ["/usr/bin/restart", "api"]}
        """ + verify);
  }

  Verifier verifier(String workerId, Optional<PrometheusClient> prometheusApi) {
    VerificationStore store = new VerificationStore();
    return new Verifier(database, new OutboxStore(), store, new AuditLog(),
        new Breakers(new BreakerStore(), new AuditLog()),
        new VerificationProbe(database, store, prometheusApi, new HttpProbe(() -> HTTP, Duration.ofSeconds(5))),
        () -> ruleSet, clock, new RemediatorMetrics(meters), workerId, List.of(ended::add));
  }

  Verifier verifier() {
    return verifier("verifier-1", Optional.of(new PrometheusClient(() -> HTTP, new ObjectMapper(),
        prometheus.url().toString(), Duration.ofSeconds(5))));
  }

  private void receive(Alert alert, Instant at) {
    Notification notification = new Notification("4", "g", 0, alert.status(), "remediator", null, null, null, "",
        Optional.empty(), List.of(alert));
    database.inTransaction(c -> new NotificationStore().store(c,
        List.of(new IncomingNotification(notification, "{}", "alertmanager@test", at))));
  }

  /** A remediation of a firing HighErrorRate alert whose action succeeded at T0, recorded as the worker records it. */
  long succeeded(String verify) {
    return succeeded(verify, "api");
  }

  /** As above, for the alert of {@code service}. */
  long succeeded(String verify, String service) {
    ruleSet = rules(verify);
    firing = new Alert(AlertStatus.FIRING, Labels.of("alertname", "HighErrorRate", "service", service), Labels.EMPTY,
        T0.minusSeconds(120), Optional.empty(), "", null);
    receive(firing, T0.minusSeconds(60));
    StoredAlert stored = database.inTransaction(c -> new AlertInbox().undecided(c, 10)).get(0);
    database.inTransaction(c -> {
      new AlertInbox().markDecided(c, List.of(stored), T0);
      return null;
    });
    database.inTransaction(c -> new RemediationStore().insert(c, new NewRemediation("restart-api", stored, "command",
        "deployer", stored.alert().fingerprint(), RemediationState.PENDING, "all guards passed",
        Map.of("argv", List.of("/usr/bin/restart", "api")), true, T0)));
    RemediationQueue queue = new RemediationQueue();
    ClaimedRemediation claim = database.inTransaction(c ->
        queue.claimDue(c, database.dialect(), "worker-1", T0, Duration.ofSeconds(90), 1)).get(0);
    new OutcomeRecorder(database, queue, new OutboxStore(), new AuditLog(),
        new Breakers(new BreakerStore(), new AuditLog()), () -> ruleSet, clock, new RemediatorMetrics(meters),
        "worker-1", new RetryPolicy(Backoff.standard()))
        .record(claim, T0, new ActionResult.Succeeded("restarted"), false);
    return claim.id();
  }

  /** The alert's resolved notification, stored at {@code at}. */
  void resolvedAt(Instant at) {
    resolvedAt(at, "api");
  }

  /** The resolved notification of {@code service}'s alert, stored at {@code at}. */
  void resolvedAt(Instant at, String service) {
    receive(new Alert(AlertStatus.RESOLVED, Labels.of("alertname", "HighErrorRate", "service", service), Labels.EMPTY,
        T0.minusSeconds(120), Optional.of(at), "", null), at);
  }

  List<String> rows(String sql, Object... args) {
    return Rows.of(database, sql, args);
  }

  private List<String> verification(long id) {
    return rows("select state, verification from remediation where id = ?", id);
  }

  /** Each verify follow-up of remediation {@code id} as {@code dueAt | attempts | done}, whichever the store. */
  private List<String> verifyFollowUps(long id) {
    return database.inTransaction(c -> {
      List<String> rows = new ArrayList<>();
      try (PreparedStatement select = c.prepareStatement("select due_at, attempts, done_at from outbox"
          + " where remediation_id = ? and kind = 'verify' order by id")) {
        select.setLong(1, id);
        try (ResultSet row = select.executeQuery()) {
          while (row.next()) {
            rows.add(database.dialect().instant(row, "due_at") + " | " + row.getInt("attempts") + " | "
                + (row.getObject("done_at") == null ? "open" : "done"));
          }
        }
      }
      return rows;
    });
  }

  List<String> verdicts(long id) {
    return rows("select kind, actor, outcome, rule_name, alertname from audit_event where remediation_id = ?"
        + " and kind in ('verified', 'not_verified') order by id", id);
  }

  List<String> escalations(long id) {
    return rows("select payload from outbox where remediation_id = ? and kind = 'escalate'", id);
  }

  private double counted(String outcome) {
    var counter = meters.find("remediator_verifications").tag("rule", "restart-api").tag("outcome", outcome)
        .counter();
    return counter == null ? 0 : counter.count();
  }

  static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void aSucceededActionWithVerifyLeavesAFollowUpDueOnePollLater() {
    long id = succeeded("    verify: {resolved_within: 5m}\n");

    assertThat(verifyFollowUps(id)).containsExactly("2026-11-22T10:00:15Z | 0 | open");
    assertThat(rows("select payload from outbox where remediation_id = ?", id)).singleElement().asString()
        .contains("\"check\":\"resolved_within\"", "\"deadline\":\"2026-11-22T10:05:00Z\"", "\"within\":\"5m\"");
    assertThat(rows("select detail from audit_event where remediation_id = ? and kind = 'succeeded'", id))
        .singleElement().asString().contains("\"verifyBy\":\"2026-11-22T10:05:00Z\"");
    assertThat(verification(id)).containsExactly("succeeded | null");
  }

  @Test
  void aRuleWithoutVerifyLeavesNothingToVerify() {
    long id = succeeded("");

    assertThat(verifyFollowUps(id)).isEmpty();
  }

  @Test
  void resolvedBeforeTheDeadlineIsVerified() throws Exception {
    long id = succeeded("    verify: {resolved_within: 5m}\n");
    Verifier verifier = verifier();

    assertThat(verifier.verifyDue()).as("not due before its first poll").isZero();
    clock.set(at(15));
    assertThat(verifier.verifyDue()).isEqualTo(1);
    assertThat(verifyFollowUps(id)).as("still firing: due again one poll later")
        .containsExactly("2026-11-22T10:00:30Z | 1 | open");

    resolvedAt(at(20));
    clock.set(at(30));
    assertThat(verifier.verifyDue()).isEqualTo(1);

    assertThat(verification(id)).containsExactly("succeeded | verified");
    assertThat(verdicts(id)).containsExactly("verified | verifier-1 | verified | restart-api | HighErrorRate");
    assertThat(rows("select detail from audit_event where remediation_id = ? and kind = 'verified'", id))
        .singleElement().asString().contains("\"check\":\"resolved within 5m\"",
            "\"seen\":\"the alert's resolved notification was stored by 2026-11-22T10:05:00Z\"", "\"polls\":2");
    assertThat(verifyFollowUps(id)).singleElement().asString().endsWith("| 2 | done");
    assertThat(escalations(id)).isEmpty();
    assertThat(counted("verified")).isEqualTo(1.0);
    assertThat(ended).containsExactly(new VerificationEnded.Ended(id, "restart-api", firing.fingerprint(),
        firing.startsAt(), VerificationStore.Outcome.VERIFIED, at(30)));
  }

  @Test
  void stillFiringAtTheDeadlineIsNotVerifiedAndEscalatedExactlyOnce() throws Exception {
    long id = succeeded("    verify: {resolved_within: 5m}\n");
    Verifier verifier = verifier();
    clock.set(at(15));
    assertThat(verifier.verifyDue()).isEqualTo(1);

    resolvedAt(at(301));
    clock.set(at(305));
    assertThat(verifier.verifyDue()).isEqualTo(1);

    assertThat(verification(id)).containsExactly("succeeded | not_verified");
    assertThat(verdicts(id)).containsExactly(
        "not_verified | verifier-1 | not_verified | restart-api | HighErrorRate");
    assertThat(escalations(id)).singleElement().asString().contains("\"reason\":\"not_verified\"",
        "\"escalateTo\":\"oncall\"");
    FollowUp escalation = new FollowUp(0, id, FollowUp.Kind.ESCALATE, at(305),
        Canonical.objectMap(escalations(id).get(0)));
    assertThat(new EscalationMessage(Optional.empty()).text(escalation)).isEqualTo("[remediator] remediation ran"
        + " but did not fix it: rule restart-api ran command on target deployer for alert HighErrorRate (fingerprint "
        + firing.fingerprint() + "); verification failed: resolved within 5m did not hold by the deadline; last seen:"
        + " no resolved notification for the alert was stored by 2026-11-22T10:05:00Z. Details: /#/remediations/"
        + id);
    assertThat(counted("not_verified")).isEqualTo(1.0);
    assertThat(ended).extracting(VerificationEnded.Ended::outcome)
        .containsExactly(VerificationStore.Outcome.NOT_VERIFIED);

    clock.set(at(3600));
    assertThat(verifier.verifyDue()).isZero();
    assertThat(verifier("verifier-2", Optional.empty()).verifyDue()).isZero();
    assertThat(escalations(id)).hasSize(1);
  }

  @Test
  void twoFollowUpsForOneRemediationEndItAndEscalateItOnce() throws Exception {
    long id = succeeded("    verify: {resolved_within: 1m}\n");
    FollowUp again = FollowUp.of(id, FollowUp.Kind.VERIFY, at(15),
        Canonical.objectMap(rows("select payload from outbox where remediation_id = ?", id).get(0)));
    database.inTransaction(c -> {
      new OutboxStore().add(c, again, T0);
      return null;
    });
    clock.set(at(60));

    assertThat(verifier().verifyDue()).isEqualTo(2);

    assertThat(verification(id)).containsExactly("succeeded | not_verified");
    assertThat(verdicts(id)).hasSize(1);
    assertThat(escalations(id)).hasSize(1);
    assertThat(rows("select count(*) from outbox where remediation_id = ? and kind = 'verify' and done_at is null",
        id)).containsExactly("0");
    assertThat(counted("not_verified")).isEqualTo(1.0);
    assertThat(ended).hasSize(1);
  }

  @Test
  void aQueryThatHoldsAtAPollIsVerified() throws Exception {
    long id = succeeded("    verify: {promql: 'sum(vector(0.97))', expect: '>= 0.95', within: 2m}\n");
    clock.set(at(15));

    assertThat(verifier().verifyDue()).isEqualTo(1);

    assertThat(verification(id)).containsExactly("succeeded | verified");
    assertThat(rows("select detail from audit_event where remediation_id = ? and kind = 'verified'", id))
        .singleElement().asString().contains("\"check\":\"promql sum(vector(0.97)) >= 0.95 within 2m\"",
            "\"seen\":\"sum(vector(0.97)) = 0.97 (expected >= 0.95)\"");
  }

  @Test
  void aQueryThatNeverHoldsIsPolledUntilItsDeadlineThenNotVerified() throws Exception {
    long id = succeeded("    verify: {promql: 'vector(0.5)', expect: '>= 0.8', within: 40s}\n");
    Verifier verifier = verifier();

    clock.set(at(15));
    assertThat(verifier.verifyDue()).isEqualTo(1);
    assertThat(verifyFollowUps(id)).containsExactly("2026-11-22T10:00:30Z | 1 | open");
    clock.set(at(30));
    assertThat(verifier.verifyDue()).isEqualTo(1);
    assertThat(verifyFollowUps(id)).as("the last poll is at the deadline")
        .containsExactly("2026-11-22T10:00:40Z | 2 | open");
    assertThat(verification(id)).containsExactly("succeeded | null");

    clock.set(at(40));
    assertThat(verifier.verifyDue()).isEqualTo(1);

    assertThat(verification(id)).containsExactly("succeeded | not_verified");
    assertThat(rows("select detail from audit_event where remediation_id = ? and kind = 'not_verified'", id))
        .singleElement().asString().contains("\"seen\":\"vector(0.5) = 0.5 (expected >= 0.8)\"", "\"polls\":3");
    assertThat(escalations(id)).singleElement().asString().contains("\"reason\":\"not_verified\"",
        "last seen: vector(0.5) = 0.5 (expected >= 0.8)");
  }

  @Test
  void aQueryWithoutPrometheusConfiguredIsNotVerifiedSayingSo() throws Exception {
    long id = succeeded("    verify: {promql: 'vector(1)', expect: '== 1', within: 15s}\n");
    clock.set(at(15));

    assertThat(verifier("verifier-1", Optional.empty()).verifyDue()).isEqualTo(1);

    assertThat(verification(id)).containsExactly("succeeded | not_verified");
    assertThat(rows("select detail from audit_event where remediation_id = ? and kind = 'not_verified'", id))
        .singleElement().asString()
        .contains("\"seen\":\"could not evaluate vector(1): REMEDIATOR_PROMETHEUS_URL is not set\"");
  }

  @Test
  void aHealthEndpointAnsweringTheExpectedStatusInTimeIsVerified() throws Exception {
    health.enqueue(new MockResponse().setResponseCode(503));
    health.enqueue(new MockResponse().setResponseCode(204));
    String url = health.url("/healthz").toString();
    long id = succeeded("    verify: {http_get: {url: '" + url + "', expect: 204, within: 1m}}\n");
    Verifier verifier = verifier();

    clock.set(at(15));
    assertThat(verifier.verifyDue()).isEqualTo(1);
    assertThat(verification(id)).containsExactly("succeeded | null");
    clock.set(at(30));
    assertThat(verifier.verifyDue()).isEqualTo(1);

    assertThat(verification(id)).containsExactly("succeeded | verified");
    assertThat(health.getRequestCount()).isEqualTo(2);
    assertThat(health.takeRequest().getPath()).isEqualTo("/healthz");
    assertThat(rows("select detail from audit_event where remediation_id = ? and kind = 'verified'", id))
        .singleElement().asString().contains("\"seen\":\"GET " + url + ": HTTP 204\"");
  }

  @Test
  void aHealthEndpointStillFailingAtTheDeadlineIsNotVerified() throws Exception {
    health.enqueue(new MockResponse().setResponseCode(503));
    health.enqueue(new MockResponse().setResponseCode(503));
    String url = health.url("/healthz").toString();
    long id = succeeded("    verify: {http_get: {url: '" + url + "', within: 30s}}\n");
    Verifier verifier = verifier();

    clock.set(at(15));
    assertThat(verifier.verifyDue()).isEqualTo(1);
    clock.set(at(30));
    assertThat(verifier.verifyDue()).isEqualTo(1);

    assertThat(verification(id)).containsExactly("succeeded | not_verified");
    assertThat(rows("select detail from audit_event where remediation_id = ? and kind = 'not_verified'", id))
        .singleElement().asString().contains("\"seen\":\"GET " + url + ": HTTP 503\"",
            "\"check\":\"http_get " + url + " answering 200 within 30s\"");
    assertThat(escalations(id)).hasSize(1);
  }

  @Test
  void aVerificationWrittenBeforeARestartIsCompletedAfterIt() throws Exception {
    long id = succeeded("    verify: {resolved_within: 5m}\n");
    clock.set(at(15));
    // The verifier of the first process claims it, then the process dies before recording anything.
    database.inTransaction(c -> new OutboxStore().claimDue(c, database.dialect(), FollowUp.Kind.VERIFY, "dead-1",
        at(15), Verifier.LEASE, Verifier.BATCH));
    database.close();

    database = openStore();
    resolvedAt(at(60));
    Verifier afterRestart = verifier("verifier-2", Optional.empty());
    clock.set(at(15).plus(Verifier.LEASE).minusSeconds(1));
    assertThat(afterRestart.verifyDue()).as("the dead process's lease still holds").isZero();

    clock.set(at(15).plus(Verifier.LEASE).plusSeconds(1));
    assertThat(afterRestart.verifyDue()).isEqualTo(1);

    assertThat(verification(id)).containsExactly("succeeded | verified");
    assertThat(verdicts(id)).containsExactly("verified | verifier-2 | verified | restart-api | HighErrorRate");
  }

  @Test
  void aVerifierThatWasDownPastTheDeadlineJudgesByTheDeadline() throws Exception {
    long id = succeeded("    verify: {resolved_within: 1m}\n");
    resolvedAt(at(90));
    clock.set(at(600));

    assertThat(verifier().verifyDue()).isEqualTo(1);

    assertThat(verification(id)).containsExactly("succeeded | not_verified");
    assertThat(rows("select detail from audit_event where remediation_id = ? and kind = 'not_verified'", id))
        .singleElement().asString().contains("\"late\":\"looked 540s after the deadline (the verifier was not"
            + " running)\"");
  }
}
