package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.action.SharedClients;
import dev.remediator.action.TargetClients;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.LabelMatcher;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import dev.remediator.audit.AuditLog;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.resilience.Breakers;
import dev.remediator.rules.BreakerSettings;
import dev.remediator.rules.OnInterrupt;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.Safeguards;
import dev.remediator.rules.Verification;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.BreakerStore;
import dev.remediator.store.Database;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.NewRemediation;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.PauseStore;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationStore;
import dev.remediator.store.SilenceStore;
import dev.remediator.store.StoredAlert;
import dev.remediator.store.VerificationStore;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import dev.remediator.testing.AlertmanagerProcess;
import dev.remediator.testing.InMemoryStore;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.RecordingAction;
import dev.remediator.testing.Rows;
import dev.remediator.upstream.AlertmanagerClient;
import dev.remediator.upstream.HttpProbe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's chain against the real Alertmanager 0.25 (one process for the class): the re-check
 * that the alert still fires just before acting, and the silence held while a rule's
 * remediation runs. Each test uses alerts of its own, so they share Alertmanager safely.
 */
class AlertmanagerInPipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OkHttpClient HTTP = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).build();
  private static final AtomicInteger SERVICES = new AtomicInteger();

  private static AlertmanagerProcess alertmanager;

  private final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  private final RecordingAction action = new RecordingAction("command");
  private final String service = "api-" + SERVICES.incrementAndGet();
  private final Instant startsAt = clock.instant().minus(Duration.ofMinutes(2));
  private final Labels labels = Labels.of("alertname", "HighErrorRate", "service", service, "note", "a \"quoted\" value");
  private Database database;
  private Worker worker;
  private Silences silences;
  private RuleSet ruleSet = rules(Optional.empty());

  @BeforeAll
  static void startAlertmanager() {
    alertmanager = AlertmanagerProcess.builder(URI.create("http://127.0.0.1:9/webhook"))
        .groupWait(Duration.ofMinutes(10)).start();
  }

  @AfterAll
  static void stopAlertmanager() {
    alertmanager.close();
  }

  @BeforeEach
  void open() {
    database = InMemoryStore.open();
  }

  @AfterEach
  void close() {
    if (worker != null) {
      worker.shutdown(Duration.ofSeconds(5));
    }
    database.close();
  }

  private void startWorker(String alertmanagerUrl) {
    Optional<AlertmanagerClient> client = Optional.of(new AlertmanagerClient(HttpUrl.get(alertmanagerUrl), HTTP, JSON));
    AuditLog audit = new AuditLog();
    silences = new Silences(database, new SilenceStore(), audit, client, () -> ruleSet, clock, "worker-1");
    worker = Worker.create(database, new TargetClients(List.of(action.module(TargetKind.COMMAND)),
            new SharedClients(new OkHttpClient(), JSON, Map.of()), () -> ruleSet), () -> ruleSet, audit, clock,
        new RemediatorMetrics(new SimpleMeterRegistry()), "worker-1", 1, () -> { },
        new KillSwitch(database, new PauseStore(), audit, clock), silences, client);
  }

  private static RuleSet rules(Optional<Verification> verify) {
    Safeguards safeguards = new Safeguards(BreakerSettings.Override.NONE, OptionalInt.empty(), Optional.empty(), verify,
        Optional.of(Duration.ofMinutes(15)), Safeguards.DEFAULT_APPROVAL_TTL, OnInterrupt.ESCALATE,
        OptionalDouble.empty(), Optional.empty());
    Rule rule = new Rule("restart-api", 1, List.of(LabelMatcher.of("alertname", LabelMatcher.Op.EQUAL, "HighErrorRate")),
        "command", "deployer", Map.of(), Map.of(), Optional.empty(), List.of(), Optional.empty(), false, false,
        safeguards);
    return new RuleSet("test.yml", false, Optional.empty(),
        Map.of("deployer", new Target("deployer", TargetKind.COMMAND, Map.of())), List.of(rule), Optional.empty());
  }

  /** Posts the test's alert to Alertmanager, resolved when {@code endsAt} is not null. */
  private void postToAlertmanager(Instant endsAt) throws IOException {
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("labels", labels.asMap());
    alert.put("startsAt", startsAt.toString());
    if (endsAt != null) {
      alert.put("endsAt", endsAt.toString());
    }
    alertmanager.postAlerts(JSON.writeValueAsString(List.of(alert)));
  }

  /** Stores a firing notification of the test's alert and a pending remediation for it; returns its id. */
  private long queued() {
    return queued("{\"version\":\"4\"}");
  }

  /** As {@link #queued()}, the notification's payload being {@code payload}. */
  private long queued(String payload) {
    Alert alert = new Alert(AlertStatus.FIRING, labels, Labels.EMPTY, startsAt, Optional.empty(), "", null);
    Notification notification = new Notification("4", "g", 0, AlertStatus.FIRING, "remediator", null, null, null, "",
        Optional.empty(), List.of(alert));
    database.inTransaction(c -> new NotificationStore().store(c,
        List.of(new IncomingNotification(notification, payload, "alertmanager@test", clock.instant()))));
    StoredAlert stored = database.inTransaction(c -> new AlertInbox().undecided(c, 10)).get(0);
    database.inTransaction(c -> {
      new AlertInbox().markDecided(c, List.of(stored), clock.instant());
      return null;
    });
    return database.inTransaction(c -> new RemediationStore().insert(c, new NewRemediation("restart-api", stored,
        "command", "deployer", service, RemediationState.PENDING, "all guards passed", Map.of(), true,
        clock.instant()))).getAsLong();
  }

  private List<String> rows(String sql, Object... args) {
    return Rows.of(database, sql, args);
  }

  private void awaitState(long id, String state) {
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
        assertThat(rows("select state from remediation where id = " + id)).containsExactly(state));
  }

  private static JsonNode silence(String id) throws IOException {
    Request request = new Request.Builder().url(HttpUrl.get(alertmanager.url()).newBuilder()
        .addPathSegments("api/v2/silences").build()).build();
    try (Response response = HTTP.newCall(request).execute()) {
      for (JsonNode silence : JSON.readTree(response.body().string())) {
        if (silence.path("id").asText().equals(id)) {
          return silence;
        }
      }
    }
    throw new AssertionError("GET /api/v2/silences does not list silence " + id);
  }

  private static String closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  @Test
  void actsWhileAlertmanagerListsTheAlertAsFiring() throws Exception {
    postToAlertmanager(null);
    startWorker(alertmanager.url().toString());
    long id = queued();

    worker.claimAndStart();

    awaitState(id, "succeeded");
    assertThat(action.requests()).hasSize(1);
    assertThat(rows("select count(*) from audit_event where kind = 'recheck_unavailable'")).containsExactly("0");
  }

  @Test
  void cancelsAsSupersededWhenAlertmanagerNoLongerListsTheAlertAsFiring() throws Exception {
    postToAlertmanager(null);
    postToAlertmanager(Instant.now().minusSeconds(1));
    startWorker(alertmanager.url().toString());
    long id = queued();

    worker.claimAndStart();

    awaitState(id, "cancelled");
    assertThat(action.requests()).isEmpty();
    assertThat(rows("select error from remediation")).containsExactly(StillFiring.SUPERSEDED);
    assertThat(rows("select outcome, detail from audit_event where kind = 'cancelled'")).singleElement().asString()
        .startsWith("cancelled | ").contains("superseded");
    assertThat(rows("select count(*) from audit_event where kind = 'silenced'"))
        .as("nothing is silenced for an action that does not run").containsExactly("0");
  }

  @Test
  void anAlertFromGrafanaIsNotReCheckedInAlertmanager() throws Exception {
    startWorker(alertmanager.url().toString());
    long id = queued("{\"version\":\"1\",\"orgId\":1}");

    worker.claimAndStart();

    awaitState(id, "succeeded");
    assertThat(action.requests()).hasSize(1);
  }

  @Test
  void unreachableAlertmanagerBlocksNeitherTheActionNorItsSilenceAndBothAreAudited() throws Exception {
    startWorker(closedPort());
    long id = queued();

    worker.claimAndStart();

    awaitState(id, "succeeded");
    assertThat(action.requests()).hasSize(1);
    assertThat(rows("select remediation_id, outcome from audit_event where kind = 'recheck_unavailable'"))
        .containsExactly(id + " | unavailable");
    assertThat(rows("select detail from audit_event where kind = 'recheck_unavailable'")).singleElement().asString()
        .contains("acting on the stored state").contains("/api/v2/alerts failed");
    assertThat(rows("select remediation_id, detail from audit_event where kind = 'silence_failed'")).singleElement()
        .asString().startsWith(id + " | ").contains("could not create the silence");
    assertThat(rows("select silence_id from remediation")).containsExactly("null");
  }

  @Test
  void holdsASilenceOnEveryLabelWhileTheActionRunsAndExpiresItAfter() throws Exception {
    postToAlertmanager(null);
    startWorker(alertmanager.url().toString());
    long id = queued();
    action.block();

    worker.claimAndStart();

    await().atMost(Duration.ofSeconds(15)).until(() -> !action.requests().isEmpty());
    String silenceId = rows("select silence_id from remediation where id = " + id).get(0);
    JsonNode silence = silence(silenceId);
    assertThat(silence.path("status").path("state").asText()).isEqualTo("active");
    assertThat(silence.path("createdBy").asText()).isEqualTo("remediator");
    assertThat(silence.path("comment").asText()).contains("rule restart-api").contains("remediation " + id);
    assertThat(Instant.parse(silence.path("endsAt").asText())).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
    List<String> matchers = new ArrayList<>();
    silence.path("matchers").forEach(m -> matchers.add(m.path("name").asText() + "=" + m.path("value").asText()
        + (m.path("isRegex").asBoolean() ? " (regex)" : "") + (m.path("isEqual").asBoolean(true) ? "" : " (not)")));
    assertThat(matchers).containsExactlyInAnyOrder("alertname=HighErrorRate", "service=" + service,
        "note=a \"quoted\" value");
    assertThat(rows("select outcome from audit_event where kind = 'silenced' and remediation_id = " + id))
        .containsExactly("silenced");

    action.release();

    awaitState(id, "succeeded");
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
        assertThat(rows("select detail from audit_event where kind = 'unsilenced' and remediation_id = " + id))
            .containsExactly("{\"silenceId\":\"" + silenceId + "\"}"));
    assertThat(silence(silenceId).path("status").path("state").asText()).isEqualTo("expired");
  }

  @Test
  void aRuleThatVerifiesKeepsItsSilenceAfterTheActionUntilReleased() throws Exception {
    ruleSet = rules(Optional.of(new Verification.ResolvedWithin(Duration.ofMinutes(5))));
    postToAlertmanager(null);
    startWorker(alertmanager.url().toString());
    long id = queued();

    worker.claimAndStart();

    awaitState(id, "succeeded");
    String silenceId = rows("select silence_id from remediation where id = " + id).get(0);
    assertThat(silence(silenceId).path("status").path("state").asText()).isEqualTo("active");

    silences.release(id);
    silences.release(id);

    assertThat(silence(silenceId).path("status").path("state").asText()).isEqualTo("expired");
    assertThat(rows("select count(*) from audit_event where kind = 'unsilenced'")).containsExactly("1");
  }

  @Test
  void theSilenceOfARuleThatVerifiesIsReleasedWhenItsVerificationEnds() throws Exception {
    ruleSet = rules(Optional.of(new Verification.ResolvedWithin(Duration.ofMinutes(5))));
    postToAlertmanager(null);
    startWorker(alertmanager.url().toString());
    long id = queued();
    worker.claimAndStart();
    awaitState(id, "succeeded");
    String silenceId = rows("select silence_id from remediation where id = " + id).get(0);
    Notification resolved = new Notification("4", "g", 0, AlertStatus.RESOLVED, "remediator", null, null, null, "",
        Optional.empty(), List.of(new Alert(AlertStatus.RESOLVED, labels, Labels.EMPTY, startsAt,
        Optional.of(clock.instant()), "", null)));
    database.inTransaction(c -> new NotificationStore().store(c,
        List.of(new IncomingNotification(resolved, "{}", "alertmanager@test", clock.instant()))));
    VerificationStore verifications = new VerificationStore();
    Verifier verifier = new Verifier(database, new OutboxStore(), verifications, new AuditLog(),
        new Breakers(new BreakerStore(), new AuditLog()),
        new VerificationProbe(database, verifications, Optional.empty(), new HttpProbe(() -> HTTP, Duration.ofSeconds(5))),
        () -> ruleSet, clock, new RemediatorMetrics(new SimpleMeterRegistry()), "verifier-1",
        List.of(ended -> silences.release(ended.remediationId())));
    assertThat(silence(silenceId).path("status").path("state").asText()).isEqualTo("active");

    clock.advance(Duration.ofSeconds(15));
    assertThat(verifier.verifyDue()).isEqualTo(1);

    assertThat(rows("select verification from remediation where id = " + id)).containsExactly("verified");
    assertThat(silence(silenceId).path("status").path("state").asText()).isEqualTo("expired");
    assertThat(rows("select kind from audit_event where remediation_id = " + id
        + " and kind in ('verified', 'unsilenced') order by id")).containsExactly("verified", "unsilenced");
  }
}
