package dev.remediator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.RunningApp.Answer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/replay} through the real server on the embedded store: a payload, one alert
 * or a stored notification is stored as the operator's and decided at once; an occurrence a rule
 * already decided is reported as already run unless forced with a reason; a dry run writes
 * nothing and shows every guard's verdict; only the operator may replay.
 */
class ReplayApiTest {
  static final String WEBHOOK = RunningApp.WEBHOOK;
  static final String OPERATOR = RunningApp.OPERATOR;
  static final String ACTOR = "operator@127.0.0.1";
  static final String RULES = """
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
        - name: rollback-api
          match: ['alertname="ErrorBudgetBurn"']
          action: command
          target: host
          with: {argv: ["/bin/true"]}
          approval: required
        - name: drain-queue
          match: ['alertname="Backlog"']
          action: command
          target: host
          with: {argv: ["/bin/true", "{{ labels.service }}"]}
          allow: {service: "[a-z0-9-]{1,63}"}
          cooldown: 15m
          group_by: [service]
          approval: required
      """;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  private final MutableClock clock = MutableClock.at("2026-11-22T10:05:00Z");
  private RunningApp app;

  @BeforeEach
  void start() {
    app = RunningApp.withTokens(dir, RULES, config -> config.withClock(clock));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  static String alert(String alertname, String service, String startsAt, String status) {
    return """
        {"status":"%4$s","labels":{"alertname":"%1$s","service":"%2$s"},"annotations":{},
         "startsAt":"%3$s","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"fp-%1$s-%2$s"}"""
        .formatted(alertname, service, startsAt, status);
  }

  static String firing(String alertname, String service, String startsAt) {
    return alert(alertname, service, startsAt, "firing");
  }

  static String payload(String... alerts) {
    return """
        {"version":"4","groupKey":"g","truncatedAlerts":0,"status":"firing","receiver":"remediator",
         "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://alertmanager:9093",
         "alerts":[%s]}""".formatted(String.join(",", alerts));
  }

  private Answer replay(String body) {
    return app.post("/api/v1/replay", body, "application/json", OPERATOR);
  }

  private static JsonNode json(Answer answer) throws Exception {
    return JSON.readTree(answer.body());
  }

  private static JsonNode onlyRule(JsonNode answer) {
    assertThat(answer.path("alerts")).hasSize(1);
    assertThat(answer.path("alerts").get(0).path("rules")).hasSize(1);
    return answer.path("alerts").get(0).path("rules").get(0);
  }

  private List<String> counts() {
    return app.rows("select (select count(*) from notification), (select count(*) from alert), "
        + "(select count(*) from remediation), (select count(*) from audit_event)");
  }

  @Test
  void aReplayedPayloadIsStoredAsTheOperatorsAndDecidedAtOnce() throws Exception {
    Answer answer = replay(payload(firing("HighErrorRate", "api", "2026-11-22T10:00:00Z")));

    assertThat(answer.status()).isEqualTo(200);
    JsonNode body = json(answer);
    assertThat(body.path("dryRun").asBoolean()).isFalse();
    assertThat(body.path("actor").asText()).isEqualTo(ACTOR);
    JsonNode alert = body.path("alerts").get(0);
    assertThat(alert.path("stored").asText()).isEqualTo("new");
    assertThat(alert.path("fingerprint").asText()).isEqualTo("fp-HighErrorRate-api");
    JsonNode rule = onlyRule(body);
    assertThat(rule.path("rule").asText()).isEqualTo("restart-api");
    assertThat(rule.path("outcome").asText()).isEqualTo("queued");
    assertThat(rule.path("state").asText()).isEqualTo("pending");
    long id = rule.path("remediationId").asLong();
    assertThat(rule.path("params").toString()).isEqualTo("{\"argv\":[\"/bin/true\",\"api\"]}");
    assertThat(rule.path("guards").findValuesAsText("guard"))
        .containsExactly("paused", "dry_run", "cooldown", "rate_limit", "max_fraction", "breaker", "allowlist",
            "approval", "promql");

    long notification = body.path("notificationId").asLong();
    assertThat(app.rows("select actor, receiver from notification where id = ?", notification))
        .containsExactly(ACTOR + " | remediator");
    assertThat(app.rows("select kind, actor from audit_event where notification_id = ? and kind in "
        + "('received', 'matched', 'decided') order by id", notification))
        .containsExactly("received | " + ACTOR, "matched | " + ACTOR, "decided | " + ACTOR);
    assertThat(app.rows("select rule_name, replay_generation from remediation where id = ?", id))
        .containsExactly("restart-api | 0");
  }

  @Test
  void aSingleAlertIsReplayedAsAOneAlertNotificationToReceiverReplay() throws Exception {
    Answer answer = replay(alert("ErrorBudgetBurn", "api", "2026-11-22T10:00:00Z", "firing"));

    assertThat(answer.status()).isEqualTo(200);
    JsonNode rule = onlyRule(json(answer));
    assertThat(rule.path("rule").asText()).isEqualTo("rollback-api");
    assertThat(rule.path("outcome").asText()).isEqualTo("awaiting_approval");
    assertThat(rule.path("guard").asText()).isEqualTo("approval");
    long notification = json(answer).path("notificationId").asLong();
    assertThat(app.rows("select receiver, alert_count, actor from notification where id = ?", notification))
        .containsExactly("replay | 1 | " + ACTOR);
    JsonNode stored = JSON.readTree(app.rows("select payload from notification where id = ?", notification).get(0));
    assertThat(stored.path("receiver").asText()).isEqualTo("replay");
    assertThat(stored.path("alerts").get(0).path("labels").path("alertname").asText()).isEqualTo("ErrorBudgetBurn");
  }

  @Test
  void aStoredNotificationIsReplayedByIdAndWhatAlreadyRanIsReportedAndLeftAlone() throws Exception {
    JsonNode first = json(replay(payload(firing("ErrorBudgetBurn", "api", "2026-11-22T10:00:00Z"))));
    long notification = first.path("notificationId").asLong();
    long remediation = onlyRule(first).path("remediationId").asLong();

    Answer again = replay("{\"notificationId\": " + notification + "}");

    assertThat(again.status()).isEqualTo(200);
    JsonNode body = json(again);
    assertThat(body.path("replayOf").asLong()).isEqualTo(notification);
    assertThat(body.path("alerts").get(0).path("stored").asText()).isEqualTo("duplicate");
    JsonNode rule = onlyRule(body);
    assertThat(rule.path("outcome").asText()).isEqualTo("already_ran");
    assertThat(rule.path("remediationId").asLong()).isEqualTo(remediation);
    assertThat(rule.path("state").asText()).isEqualTo("awaiting_approval");
    assertThat(app.rows("select count(*) from remediation")).containsExactly("1");
    assertThat(app.rows("select payload from notification where id = ?", body.path("notificationId").asLong()))
        .isEqualTo(app.rows("select payload from notification where id = ?", notification));
    assertThat(app.rows("select actor, outcome from audit_event where kind = 'duplicate' and remediation_id = ?",
        remediation)).containsExactly(ACTOR + " | already_decided");
  }

  @Test
  void aWebhookNotificationReplayedByIdIsDecidedAgainstTheRulesInForce() throws Exception {
    Answer stored = app.post("/webhook", payload(firing("DiskFull", "db", "2026-11-22T10:00:00Z")),
        "application/json", WEBHOOK);
    long notification = JSON.readTree(stored.body()).path("notificationId").asLong();

    JsonNode body = json(replay("{\"notificationId\": " + notification + "}"));

    JsonNode rule = onlyRule(body);
    assertThat(rule.path("rule").isNull()).isTrue();
    assertThat(rule.path("outcome").asText()).isEqualTo("unmatched");
    assertThat(app.rows("select actor from notification order by id")).containsExactly(
        "alertmanager@127.0.0.1", ACTOR);
  }

  @Test
  void anUnknownNotificationIdIs404() throws Exception {
    Answer answer = replay("{\"notificationId\": 999}");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(json(answer).path("field").asText()).isEqualTo("notificationId");
  }

  @Test
  void forceWithAReasonDecidesTheOccurrenceAgainAndAuditsTheReasonWhileTheOldRemediationStays() throws Exception {
    String body = payload(firing("ErrorBudgetBurn", "api", "2026-11-22T10:00:00Z"));
    long old = onlyRule(json(replay(body))).path("remediationId").asLong();
    String forced = body.substring(0, body.length() - 1) + ",\"force\":true,\"reason\":\"the first rollback was "
        + "rejected by mistake\"}";

    JsonNode rule = onlyRule(json(replay(forced)));

    assertThat(rule.path("outcome").asText()).isEqualTo("awaiting_approval");
    long fresh = rule.path("remediationId").asLong();
    assertThat(fresh).isNotEqualTo(old);
    assertThat(rule.path("replayOf").asLong()).isEqualTo(old);
    assertThat(app.rows("select id, state, replay_generation, replay_of from remediation order by id"))
        .containsExactly(old + " | awaiting_approval | 0 | null", fresh + " | awaiting_approval | 1 | " + old);
    assertThat(app.rows("select actor, outcome, detail from audit_event where kind = 'replayed'"))
        .containsExactly(ACTOR + " | forced | {\"reason\":\"the first rollback was rejected by mistake\","
            + "\"replayGeneration\":1,\"replayOf\":" + old + "}");
    assertThat(app.rows("select detail from audit_event where kind = 'decided' and remediation_id = ?", fresh).get(0))
        .contains("\"replayReason\":\"the first rollback was rejected by mistake\"");

    JsonNode twice = onlyRule(json(replay(forced)));
    assertThat(twice.path("replayOf").asLong()).isEqualTo(fresh);

    JsonNode resolved = json(replay(payload(alert("ErrorBudgetBurn", "api", "2026-11-22T10:00:00Z", "resolved"))));
    assertThat(resolved.path("alerts").get(0).path("rules").findValuesAsText("outcome"))
        .containsExactly("cancelled", "cancelled", "cancelled");
    assertThat(app.rows("select distinct state from remediation")).containsExactly("cancelled");
  }

  @Test
  void forceWithoutAReasonIs400AndStoresNothing() throws Exception {
    List<String> before = counts();

    Answer answer = replay("{\"notificationId\": 1, \"force\": true}");
    Answer blank = replay(alert("HighErrorRate", "api", "2026-11-22T10:00:00Z", "firing")
        .replace("{\"status\"", "{\"force\":true,\"reason\":\"  \",\"status\""));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(json(answer).path("field").asText()).isEqualTo("reason");
    assertThat(json(answer).path("reason").asText()).isEqualTo("is required with force: say why the occurrence is "
        + "decided again");
    assertThat(blank.status()).isEqualTo(400);
    assertThat(counts()).isEqualTo(before);
  }

  @Test
  void aBodyThatIsNoneOfTheThreeShapesIs400NamingIt() throws Exception {
    Answer answer = replay("{\"hello\": 1}");
    Answer badAlert = replay("{\"labels\": {\"service\": \"api\"}, \"startsAt\": \"2026-11-22T10:00:00Z\"}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(json(answer).path("reason").asText()).startsWith("body must be an Alertmanager payload");
    assertThat(badAlert.status()).isEqualTo(400);
    assertThat(json(badAlert).path("field").asText()).isEqualTo("labels.alertname");
  }

  @Test
  void aDryRunWritesNothingAndShowsEveryGuardsVerdictCountedInTheLiveLedger() throws Exception {
    replay(payload(firing("Backlog", "api", "2026-11-22T10:00:00Z")));
    clock.advance(java.time.Duration.ofMinutes(5));
    List<String> before = counts();

    Answer answer = app.post("/api/v1/replay?dryRun=true",
        payload(firing("Backlog", "api", "2026-11-22T10:09:00Z"), firing("Backlog", "web", "2026-11-22T10:09:00Z"),
            firing("Backlog", "x y", "2026-11-22T10:09:00Z")),
        "application/json", OPERATOR);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(counts()).isEqualTo(before);
    JsonNode body = json(answer);
    assertThat(body.path("dryRun").asBoolean()).isTrue();
    assertThat(body.has("notificationId")).isFalse();
    JsonNode api = body.path("alerts").get(0).path("rules").get(0);
    assertThat(api.path("outcome").asText()).isEqualTo("skipped");
    assertThat(api.path("guard").asText()).isEqualTo("cooldown");
    assertThat(api.path("remediationId").isNull()).isTrue();
    assertThat(verdicts(api)).containsExactly("paused=pass", "dry_run=pass", "cooldown=skip", "rate_limit=pass",
        "max_fraction=pass", "breaker=pass", "allowlist=pass", "approval=await_approval", "promql=pass");
    assertThat(api.path("params").toString()).isEqualTo("{\"argv\":[\"/bin/true\",\"api\"]}");
    JsonNode web = body.path("alerts").get(1).path("rules").get(0);
    assertThat(web.path("outcome").asText()).isEqualTo("awaiting_approval");
    assertThat(web.path("params").toString()).isEqualTo("{\"argv\":[\"/bin/true\",\"web\"]}");
    JsonNode hostile = body.path("alerts").get(2).path("rules").get(0);
    assertThat(hostile.path("outcome").asText()).isEqualTo("skipped");
    assertThat(hostile.path("guard").asText()).isEqualTo("allowlist");
    assertThat(hostile.path("params").toString()).isEqualTo("{}");
  }

  @Test
  void aDryRunOfAnOccurrenceThatRanSaysSoWithItsRemediation() throws Exception {
    String body = payload(firing("ErrorBudgetBurn", "api", "2026-11-22T10:00:00Z"));
    long id = onlyRule(json(replay(body))).path("remediationId").asLong();

    JsonNode rule = onlyRule(json(app.post("/api/v1/replay?dryRun=true", body, "application/json", OPERATOR)));

    assertThat(rule.path("outcome").asText()).isEqualTo("already_ran");
    assertThat(rule.path("remediationId").asLong()).isEqualTo(id);
    assertThat(app.rows("select count(*) from remediation")).containsExactly("1");
  }

  private static List<String> verdicts(JsonNode rule) {
    List<String> verdicts = new java.util.ArrayList<>();
    rule.path("guards").forEach(g -> verdicts.add(g.path("guard").asText() + "=" + g.path("verdict").asText()));
    return verdicts;
  }

  @Test
  void onlyTheOperatorMayReplayOrSimulateAndARefusalChangesNothing() {
    List<String> before = counts();
    String body = payload(firing("HighErrorRate", "api", "2026-11-22T10:00:00Z"));

    assertThat(app.post("/api/v1/replay", body, "application/json", null).status()).isEqualTo(401);
    assertThat(app.post("/api/v1/replay", body, "application/json", "Bearer guess").status()).isEqualTo(401);
    assertThat(app.post("/api/v1/replay", body, "application/json", WEBHOOK).status()).isEqualTo(403);
    assertThat(app.post("/api/v1/replay?dryRun=true", body, "application/json", WEBHOOK).status()).isEqualTo(403);
    assertThat(app.post("/api/v1/simulate?since=1h", RULES, "text/yaml", null).status()).isEqualTo(401);
    assertThat(app.post("/api/v1/simulate?since=1h", RULES, "text/yaml", WEBHOOK).status()).isEqualTo(403);
    assertThat(counts()).isEqualTo(before);
  }

  @Test
  void aBadDryRunFlagIs400() throws Exception {
    Answer answer = app.post("/api/v1/replay?dryRun=yes", "{}", "application/json", OPERATOR);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(json(answer).path("field").asText()).isEqualTo("dryRun");
  }
}
