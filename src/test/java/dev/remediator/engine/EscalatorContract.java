package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.action.ActionResult;
import dev.remediator.action.SharedClients;
import dev.remediator.action.TargetClients;
import dev.remediator.action.notify.NotifyModule;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import dev.remediator.audit.AuditLog;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.resilience.Backoff;
import dev.remediator.resilience.Breakers;
import dev.remediator.resilience.RetryPolicy;
import dev.remediator.rules.BreakerSettings;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.BreakerStore;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.Database;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.Ledger;
import dev.remediator.store.NewRemediation;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.RemediationQueue;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationStore;
import dev.remediator.store.StoredAlert;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.RecordingAction;
import dev.remediator.testing.Rows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What the {@link Escalator} does on a real store, whichever it is: a permanent failure recorded
 * with {@code escalate_to} is posted once to the escalation webhook (a MockWebServer standing in
 * for Slack), marked done and audited in the same transaction.
 */
abstract class EscalatorContract {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final String EXTERNAL_URL = "https://remediator.example.com";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Tells apart the alerts of tests that share a database, which would otherwise be duplicates. */
  private static final AtomicInteger ALERTS = new AtomicInteger();

  final MutableClock clock = MutableClock.at(T0);
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final MockWebServer webhook = new MockWebServer();
  private final RemediationStore remediations = new RemediationStore();
  private final RemediationQueue queue = new RemediationQueue();
  private final List<TargetClients> clients = new ArrayList<>();
  volatile RuleSet ruleSet;
  Database database;

  /** The store under test, migrated and empty of this test's rows. */
  abstract Database openDatabase();

  @BeforeEach
  void open() throws IOException {
    webhook.start();
    database = openDatabase();
    ruleSet = new RuleSet("test.yml", false, Optional.empty(), Map.of(
        "deployer", new Target("deployer", TargetKind.COMMAND, Map.of()),
        "oncall", new Target("oncall", TargetKind.WEBHOOK,
            Map.of("url", webhook.url("/services/T0/B0/s3cret").toString(), "format", "slack"))),
        List.of(), Optional.of("oncall"),
        // These tests are about escalation policy: no breaker opening may add escalations of its own.
        Map.of("deployer", new BreakerSettings.Override(Optional.empty(), Optional.of(1_000), Optional.empty(),
            Optional.empty())));
  }

  @AfterEach
  void close() throws IOException {
    clients.forEach(TargetClients::close);
    database.close();
    webhook.shutdown();
  }

  Escalator escalator(String workerId) {
    TargetClients targetClients = new TargetClients(
        List.of(new NotifyModule(), new RecordingAction("command").module(TargetKind.COMMAND)),
        new SharedClients(new OkHttpClient(), new ObjectMapper(), Map.of()), () -> ruleSet);
    clients.add(targetClients);
    return new Escalator(database, new OutboxStore(), new AuditLog(), targetClients, clock,
        new RemediatorMetrics(meters), workerId, Optional.of(EXTERNAL_URL));
  }

  /** A remediation of {@code service}'s alert that failed for good, recorded as the worker records it. */
  long failed(String service) {
    return failed(service, null);
  }

  /** A stored alert of {@code service}, decided, as the decider leaves it. */
  StoredAlert alertOf(String service) {
    Alert alert = new Alert(AlertStatus.FIRING, Labels.of("alertname", "HighErrorRate", "service", service,
        "test", Integer.toString(ALERTS.incrementAndGet())),
        Labels.EMPTY, T0, Optional.empty(), "", null);
    Notification notification = new Notification("4", "g-" + service, 0, alert.status(), "remediator", null, null,
        null, "", Optional.empty(), List.of(alert));
    database.inTransaction(c -> new NotificationStore().store(c,
        List.of(new IncomingNotification(notification, "{}", "alertmanager@test", T0))));
    StoredAlert stored = database.inTransaction(c -> new AlertInbox().undecided(c, 10)).get(0);
    database.inTransaction(c -> {
      new AlertInbox().markDecided(c, List.of(stored), T0);
      return null;
    });
    return stored;
  }

  /**
   * As {@link #failed(String)}, in alert group {@code group} of its rule (null: the alert's own
   * fingerprint, as for a rule without group_by).
   */
  long failed(String service, String group) {
    StoredAlert stored = alertOf(service);
    long id = database.inTransaction(c -> remediations.insert(c, new NewRemediation("restart-api", stored, "command",
        "deployer", group == null ? stored.alert().fingerprint() : group, RemediationState.PENDING,
        "all guards passed", Map.of("argv", List.of("/usr/bin/restart", service)), true, clock.instant()))).getAsLong();
    ClaimedRemediation claim = database.inTransaction(c ->
        queue.claimDue(c, database.dialect(), "worker-1", clock.instant(), Duration.ofSeconds(90), 1)).get(0);
    new OutcomeRecorder(database, queue, new OutboxStore(), new AuditLog(),
        new Breakers(new BreakerStore(), new AuditLog()), () -> ruleSet, clock,
        new RemediatorMetrics(meters), "worker-1", new RetryPolicy(Backoff.standard()))
        .record(claim, clock.instant(), new ActionResult.Permanent("exited with status 2: no such deployment", null),
            false);
    assertThat(claim.id()).isEqualTo(id);
    return id;
  }

  /**
   * A remediation of {@code service}'s alert in alert group {@code group} that awaits approval,
   * with the approval request the decider leaves in the outbox; returns its id.
   */
  long awaitingApproval(String service, String group) {
    StoredAlert stored = alertOf(service);
    Instant expiresAt = clock.instant().plus(Duration.ofMinutes(30));
    Map<String, Object> params = Map.of("argv", List.of("/usr/bin/restart", service),
        "url", "https://ops:hunter2@admin.internal/restart");
    return database.inTransaction(c -> {
      long id = remediations.insert(c, new NewRemediation("restart-api", stored, "command", "deployer", group,
          RemediationState.AWAITING_APPROVAL, "rule restart-api requires approval", params, true, clock.instant(),
          Ledger.Budget.LIVE, expiresAt)).getAsLong();
      new OutboxStore().add(c, Escalations.followUp(ruleSet, new Escalations.Subject(id, "restart-api", "command",
          "deployer", stored.alert().fingerprint(), "HighErrorRate", 0, Escalations.Reason.APPROVAL_REQUESTED,
          "awaits approval until " + expiresAt, Map.of("params", params, "expiresAt", expiresAt.toString())),
          clock.instant()).orElseThrow(), clock.instant());
      return id;
    });
  }

  List<String> rows(String sql, Object... args) {
    return Rows.of(database, sql, args);
  }

  static String text(RecordedRequest request) throws IOException {
    JsonNode body = JSON.readTree(request.getBody().readUtf8());
    return body.path("text").asText();
  }

  double escalations(String outcome) {
    var counter = meters.find("remediator_escalations").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void permanentFailureWithEscalateToIsPostedOnceWithRuleAlertAndErrorThenMarkedDoneAndAudited() throws Exception {
    long id = failed("api-1");
    webhook.enqueue(new MockResponse().setResponseCode(200).setBody("ok"));
    Escalator escalator = escalator("escalator-1");

    assertThat(escalator.escalateDue()).isEqualTo(1);

    assertThat(webhook.getRequestCount()).isEqualTo(1);
    RecordedRequest request = webhook.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getPath()).isEqualTo("/services/T0/B0/s3cret");
    assertThat(text(request)).contains("rule restart-api", "command on target deployer", "alert HighErrorRate",
        "exited with status 2: no such deployment");
    assertThat(rows("select count(*) from outbox where remediation_id = ? and done_at is not null", id))
        .containsExactly("1");
    assertThat(rows("select kind, actor, outcome, rule_name, action, target, alertname from audit_event"
        + " where remediation_id = ? and kind like 'escalat%'", id))
        .containsExactly("escalated | escalator-1 | escalated | restart-api | command | deployer | HighErrorRate");
    assertThat(escalations("escalated")).isEqualTo(1.0);

    clock.advance(Escalator.LEASE.plusHours(1));
    assertThat(escalator.escalateDue()).as("done follow-ups are not claimed again").isZero();
    assertThat(webhook.getRequestCount()).isEqualTo(1);
  }

  @Test
  void webhookAnswering500IsRetriedAfterItsBackoffAndDeliveredOnce() throws Exception {
    long id = failed("api-1");
    webhook.enqueue(new MockResponse().setResponseCode(500).setBody("slack is down"));
    webhook.enqueue(new MockResponse().setResponseCode(200).setBody("ok"));
    Escalator escalator = escalator("escalator-1");

    assertThat(escalator.escalateDue()).isEqualTo(1);
    assertThat(rows("select done_at, attempts from outbox where remediation_id = ?", id))
        .containsExactly("null | 1");
    assertThat(escalations("retry_scheduled")).isEqualTo(1.0);
    assertThat(rows("select count(*) from audit_event where remediation_id = ? and kind like 'escalat%'", id))
        .containsExactly("0");

    clock.advance(Escalator.FIRST_RETRY.minusSeconds(1));
    assertThat(escalator.escalateDue()).as("not claimed again before its backoff").isZero();
    assertThat(escalator("escalator-2").escalateDue()).as("nor by another replica").isZero();

    clock.advance(Duration.ofSeconds(2));
    assertThat(escalator.escalateDue()).isEqualTo(1);

    assertThat(webhook.getRequestCount()).isEqualTo(2);
    assertThat(rows("select attempts from outbox where remediation_id = ? and done_at is not null", id))
        .containsExactly("2");
    assertThat(rows("select kind, detail from audit_event where remediation_id = ? and kind like 'escalat%'", id))
        .singleElement().asString().startsWith("escalated | ").contains("\"attempt\":2");
    clock.advance(Duration.ofHours(1));
    assertThat(escalator.escalateDue()).isZero();
    assertThat(webhook.getRequestCount()).as("delivered once").isEqualTo(2);
  }

  @Test
  void webhookRejectingTheEscalationMarksItDoneAuditsTheFailureAndWarns() throws Exception {
    long id = failed("api-1");
    webhook.enqueue(new MockResponse().setResponseCode(404).setBody("no_service"));
    Logger logger = (Logger) LoggerFactory.getLogger(Escalator.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      escalator("escalator-1").escalateDue();
    } finally {
      logger.detachAppender(logged);
    }

    assertThat(rows("select count(*) from outbox where remediation_id = ? and done_at is not null", id))
        .containsExactly("1");
    assertThat(rows("select kind, outcome, detail from audit_event where remediation_id = ? and kind like 'escalat%'",
        id)).singleElement().asString().startsWith("escalation_failed | failed | ").contains("HTTP 404");
    assertThat(escalations("failed")).isEqualTo(1.0);
    assertThat(logged.list).singleElement().satisfies(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.WARN);
      assertThat(event.getFormattedMessage()).startsWith("escalation to oncall failed for good: HTTP 404");
    });
    clock.advance(Duration.ofHours(1));
    assertThat(escalator("escalator-1").escalateDue()).isZero();
    assertThat(webhook.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aFollowUpClaimedByOneEscalatorIsNotSentByAnother() throws Exception {
    long id = failed("api-1");
    webhook.enqueue(new MockResponse().setResponseCode(200));
    Escalator first = escalator("escalator-1");
    Escalator second = escalator("escalator-2");
    // The first claims it and is still sending it when the second looks.
    database.inTransaction(c -> new OutboxStore().claimDue(c, database.dialect(),
        dev.remediator.store.FollowUp.Kind.ESCALATE, "escalator-1", clock.instant(), Escalator.LEASE, 5));

    assertThat(second.escalateDue()).isZero();
    assertThat(webhook.getRequestCount()).isZero();

    clock.advance(Escalator.LEASE.plusSeconds(1));
    assertThat(second.escalateDue()).as("taken over once the first's lease ran out").isEqualTo(1);
    assertThat(first.escalateDue()).isZero();
    assertThat(webhook.getRequestCount()).isEqualTo(1);
    assertThat(rows("select actor from audit_event where remediation_id = ? and kind = 'escalated'", id))
        .containsExactly("escalator-2");
  }

  @Test
  void withoutEscalateToNothingIsSent() throws Exception {
    ruleSet = new RuleSet(ruleSet.source(), false, Optional.empty(), ruleSet.targets(), List.of(), Optional.empty());
    long id = failed("api-1");

    assertThat(rows("select count(*) from outbox where remediation_id = ?", id)).containsExactly("0");
    assertThat(escalator("escalator-1").escalateDue()).isZero();
    assertThat(webhook.getRequestCount()).isZero();
  }

  @Test
  void aSecondEscalationForTheSameRuleAndGroupWithinFifteenMinutesIsSuppressedAndAudited() throws Exception {
    webhook.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse().setResponseCode(200);
      }
    });
    long first = failed("api-1", "{service=\"rate-api\"}");
    long second = failed("api-2", "{service=\"rate-api\"}");
    long otherGroup = failed("db-1", "{service=\"rate-db\"}");
    Escalator escalator = escalator("escalator-1");

    assertThat(escalator.escalateDue()).isEqualTo(3);

    assertThat(webhook.getRequestCount()).as("one for the api group, one for the db group").isEqualTo(2);
    assertThat(rows("select kind, outcome from audit_event where remediation_id = ? and kind like 'escalat%'",
        first)).containsExactly("escalated | escalated");
    assertThat(rows("select kind, outcome, detail from audit_event where remediation_id = ? and kind like 'escalat%'",
        second)).singleElement().asString().startsWith("escalation_suppressed | suppressed | ")
        .contains("\"lastSentAt\":\"" + T0 + "\"", "\"window\":\"PT15M\"");
    assertThat(rows("select kind from audit_event where remediation_id = ? and kind like 'escalat%'", otherGroup))
        .containsExactly("escalated");
    assertThat(rows("select count(*) from outbox where remediation_id in (?, ?, ?) and done_at is null", first,
        second, otherGroup)).containsExactly("0");
    assertThat(rows("select count(*) from outbox where remediation_id = ? and sent_at is null", second))
        .as("a suppressed escalation is not sent").containsExactly("1");
    assertThat(escalations("suppressed")).isEqualTo(1.0);

    clock.advance(Escalator.RATE_LIMIT.minusSeconds(1));
    long stillInWindow = failed("api-3", "{service=\"rate-api\"}");
    assertThat(escalator.escalateDue()).isEqualTo(1);
    assertThat(rows("select kind from audit_event where remediation_id = ? and kind like 'escalat%'", stillInWindow))
        .containsExactly("escalation_suppressed");

    clock.advance(Duration.ofSeconds(2));
    long afterWindow = failed("api-4", "{service=\"rate-api\"}");
    assertThat(escalator.escalateDue()).isEqualTo(1);
    assertThat(rows("select kind from audit_event where remediation_id = ? and kind like 'escalat%'", afterWindow))
        .containsExactly("escalated");
    assertThat(webhook.getRequestCount()).isEqualTo(3);
  }

  @Test
  void anEscalationThatKeepsFailingIsGivenUpAfterItsLastAttemptAndAuditedOnce() throws Exception {
    webhook.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse().setResponseCode(503).setBody("slack is down");
      }
    });
    long id = failed("api-1");
    Escalator escalator = escalator("escalator-1");

    for (int attempt = 1; attempt <= Escalator.MAX_ATTEMPTS; attempt++) {
      assertThat(escalator.escalateDue()).as("attempt %d", attempt).isEqualTo(1);
      clock.advance(Escalator.backoff(attempt).plusSeconds(1));
    }

    assertThat(webhook.getRequestCount()).isEqualTo(Escalator.MAX_ATTEMPTS);
    assertThat(rows("select attempts from outbox where remediation_id = ? and done_at is not null and sent_at is null",
        id)).containsExactly(Integer.toString(Escalator.MAX_ATTEMPTS));
    assertThat(rows("select kind, outcome, detail from audit_event where remediation_id = ? and kind like 'escalat%'",
        id)).singleElement().asString().startsWith("escalation_failed | gave_up | ")
        .contains("gave up after " + Escalator.MAX_ATTEMPTS + " attempts: HTTP 503");
    assertThat(rows("select count(*) from outbox where remediation_id = ?", id))
        .as("an escalation's failure is never escalated").containsExactly("1");
    clock.advance(Duration.ofDays(1));
    assertThat(escalator.escalateDue()).isZero();
    assertThat(webhook.getRequestCount()).isEqualTo(Escalator.MAX_ATTEMPTS);
  }

  @Test
  void anApprovalRequestLinksToTheRemediationAndSaysHowToApproveWithSecretsMasked() throws Exception {
    webhook.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse().setResponseCode(200);
      }
    });
    long id = awaitingApproval("api-1", "{service=\"request-api\"}");

    assertThat(escalator("escalator-1").escalateDue()).isEqualTo(1);

    String text = text(webhook.takeRequest(5, TimeUnit.SECONDS));
    assertThat(text).startsWith("[remediator] approval needed: rule restart-api wants to run command on target "
        + "deployer for alert HighErrorRate")
        .contains("https://remediator.example.com/#/remediations/" + id,
            "curl -X POST -H \"Authorization: Bearer $REMEDIATOR_OPERATOR_TOKEN\" "
                + "https://remediator.example.com/api/v1/remediations/" + id + "/approve",
            "awaits approval until " + T0.plus(Duration.ofMinutes(30)), "https://ops:***@admin.internal/restart")
        .doesNotContain("hunter2");
    assertThat(rows("select kind, detail from audit_event where remediation_id = ? and kind like 'escalat%'", id))
        .singleElement().asString().startsWith("escalated | ").contains("\"reason\":\"approval_requested\"");
  }

  @Test
  void approvalRequestsAreNeitherSuppressedNorCountedByTheRateLimit() throws Exception {
    webhook.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse().setResponseCode(200);
      }
    });
    long first = awaitingApproval("api-1", "{service=\"mixed-api\"}");
    long second = awaitingApproval("api-2", "{service=\"mixed-api\"}");
    long failure = failed("api-3", "{service=\"mixed-api\"}");

    assertThat(escalator("escalator-1").escalateDue()).isEqualTo(3);

    assertThat(webhook.getRequestCount()).isEqualTo(3);
    assertThat(rows("select kind from audit_event where remediation_id = ? and kind like 'escalat%'", failure))
        .containsExactly("escalated");
    assertThat(rows("select count(*) from audit_event where kind = 'escalated' and remediation_id in (?, ?)", first,
        second)).containsExactly("2");
  }
}
