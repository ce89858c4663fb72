package dev.remediator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.remediator.alert.Alert;
import dev.remediator.alert.Notification;
import dev.remediator.engine.Replays;
import dev.remediator.engine.ReplayOutcome;
import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import dev.remediator.intake.IntakeWriter;
import dev.remediator.intake.PayloadException;
import dev.remediator.intake.PayloadParser;
import dev.remediator.store.Database;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.StoredAlert;
import dev.remediator.store.StoredAlerts;
import dev.remediator.store.StoredNotification;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /api/v1/replay}: an operator replays a whole Alertmanager payload, one alert (sent
 * as a one-alert notification to receiver {@code replay}) or a stored notification
 * ({@code {"notificationId": N}}). The replay is stored by intake as the operator's notification
 * and decided at once, and the answer says per alert and rule what happened. {@code "force": true}
 * with a {@code "reason"} decides again what a rule already decided. {@code ?dryRun=true} stores
 * and decides nothing and answers every guard's verdict and the rendered parameters instead.
 */
public final class ReplayHandler {
  /** The receiver a single replayed alert is addressed to. */
  public static final String RECEIVER = "replay";
  /** How long a replay waits for intake to store it. */
  static final Duration STORE_DEADLINE = Duration.ofSeconds(10);
  private static final String FORCE = "force";
  private static final String REASON = "reason";
  private static final String NOTIFICATION_ID = "notificationId";

  private final PayloadParser parser;
  private final IntakeWriter intake;
  private final Replays replays;
  private final Database database;
  private final NotificationStore notifications;
  private final StoredAlerts storedAlerts;
  private final Clock clock;
  private final ObjectMapper json;
  private final Runnable decided;

  /** {@code decided} runs after a replay decided something, to wake the workers. */
  public ReplayHandler(PayloadParser parser, IntakeWriter intake, Replays replays, Database database,
                       NotificationStore notifications, StoredAlerts storedAlerts, Clock clock, ObjectMapper json,
                       Runnable decided) {
    this.parser = parser;
    this.intake = intake;
    this.replays = replays;
    this.database = database;
    this.notifications = notifications;
    this.storedAlerts = storedAlerts;
    this.clock = clock;
    this.json = json;
    this.decided = decided;
  }

  /** What the body asked to replay: the notification, the payload to store for it, and its stored id if any. */
  private record Source(Notification notification, String payload, Long notificationId) {}

  public void replay(Context ctx) {
    boolean dryRun = dryRun(ctx.queryParam("dryRun"));
    JsonNode root = parser.readTree(ctx.bodyAsBytes());
    if (!root.isObject()) {
      throw new PayloadException("", "body must be a JSON object: a payload, one alert or {\"notificationId\": N}");
    }
    ObjectNode body = ((ObjectNode) root).deepCopy();
    boolean force = force(body.remove(FORCE));
    String reason = reason(body.remove(REASON), force);
    Source source = source(body);
    String actor = OperatorRequest.actor(ctx);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("dryRun", dryRun);
    answer.put("actor", actor);
    answer.put("force", force);
    if (dryRun) {
      List<StoredAlert> alerts = new ArrayList<>();
      for (Alert alert : distinct(source.notification().alerts())) {
        alerts.add(new StoredAlert(0, source.notificationId() == null ? 0 : source.notificationId(), alert));
      }
      answer.put("replayOf", source.notificationId());
      answer.put("alerts", alerts(alerts, Set.of(), replays.dryRun(database, alerts, force)));
      ctx.json(answer);
      return;
    }
    Instant receivedAt = clock.instant();
    StoredNotification stored = await(intake.submit(new IncomingNotification(source.notification(), source.payload(),
        actor, receivedAt, receivedAt.plus(Replays.HOLD))));
    List<StoredAlert> alerts = new ArrayList<>();
    Set<Long> storedNow = new HashSet<>();
    database.inTransaction(connection -> {
      List<Alert> sent = source.notification().alerts();
      for (int i = 0; i < sent.size(); i++) {
        Alert alert = sent.get(i);
        StoredAlert row = storedAlerts.occurrence(connection, alert).orElseThrow(() -> new IllegalStateException(
            "intake stored the replay but not the occurrence of alert " + alert.fingerprint()));
        if (alerts.stream().noneMatch(known -> known.id() == row.id())) {
          alerts.add(row);
        }
        if (stored.isNew().get(i)) {
          storedNow.add(row.id());
        }
      }
      return null;
    });
    List<ReplayOutcome> outcomes = replays.replay(database, alerts, storedNow, new Replays.Request(actor, force,
        reason));
    decided.run();
    answer.put("notificationId", stored.id());
    answer.put("replayOf", source.notificationId());
    answer.put("alerts", alerts(alerts, storedNow, outcomes));
    ctx.json(answer);
  }

  private static boolean dryRun(String value) {
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.equals("true")) {
      return true;
    }
    throw new ApiException(new ApiError(400, "dryRun", "must be true or false, but was \""
        + OperatorRequest.shorten(value) + "\""), Map.of(), null);
  }

  private static boolean force(JsonNode value) {
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new ApiException(new ApiError(400, FORCE, "must be true or false"), Map.of(), null);
    }
    return value.booleanValue();
  }

  private static String reason(JsonNode value, boolean force) {
    String text = null;
    if (value != null && !value.isNull()) {
      if (!value.isTextual()) {
        throw new ApiException(new ApiError(400, REASON, "must be a string"), Map.of(), null);
      }
      text = value.asText().strip();
      if (text.length() > OperatorRequest.MAX_REASON) {
        throw new ApiException(new ApiError(400, REASON, "is " + text.length() + " characters long; at most "
            + OperatorRequest.MAX_REASON + " are allowed"), Map.of(), null);
      }
    }
    if (force && (text == null || text.isEmpty())) {
      throw new ApiException(new ApiError(400, REASON, "is required with force: say why the occurrence is decided "
          + "again"), Map.of(), null);
    }
    return text == null || text.isEmpty() ? null : text;
  }

  private Source source(ObjectNode body) {
    if (body.has(NOTIFICATION_ID)) {
      return stored(body);
    }
    if (body.has("alerts")) {
      return new Source(parser.parse(body), write(body), null);
    }
    if (body.has("labels")) {
      Alert alert = parser.parseAlert(body, "");
      ObjectNode wrapper = json.createObjectNode();
      wrapper.put("version", PayloadParser.VERSION);
      wrapper.put("groupKey", RECEIVER);
      wrapper.put("status", alert.status().wireName());
      wrapper.put("receiver", RECEIVER);
      wrapper.set("groupLabels", json.createObjectNode());
      wrapper.set("commonLabels", body.get("labels"));
      wrapper.set("commonAnnotations", json.createObjectNode());
      wrapper.put("externalURL", "");
      wrapper.putArray("alerts").add(body);
      return new Source(parser.parse(wrapper), write(wrapper), null);
    }
    throw new PayloadException("", "body must be an Alertmanager payload (with alerts), one alert (with labels) or "
        + "{\"notificationId\": N}");
  }

  private Source stored(ObjectNode body) {
    JsonNode id = body.get(NOTIFICATION_ID);
    if (!id.canConvertToLong() || !id.isIntegralNumber() || id.longValue() < 1) {
      throw new ApiException(new ApiError(400, NOTIFICATION_ID, "must be a positive whole number"), Map.of(), null);
    }
    body.fieldNames().forEachRemaining(name -> {
      if (!name.equals(NOTIFICATION_ID)) {
        throw new ApiException(new ApiError(400, OperatorRequest.shorten(name),
            "unknown field; with notificationId only force and reason are accepted"), Map.of(), null);
      }
    });
    long notificationId = id.longValue();
    Optional<String> payload = database.inTransaction(connection -> notifications.payload(connection, notificationId));
    if (payload.isEmpty()) {
      throw new ApiException(new ApiError(404, NOTIFICATION_ID, "no stored notification " + notificationId
          + " (never received, or deleted by retention)"), Map.of(), null);
    }
    Notification notification = parser.parse(payload.get().getBytes(StandardCharsets.UTF_8));
    return new Source(notification, payload.get(), notificationId);
  }

  private String write(JsonNode node) {
    try {
      return json.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a replayed payload back as JSON", e);
    }
  }

  /** The alerts of a payload, each occurrence once: repeating one in a replay changes nothing. */
  private static List<Alert> distinct(List<Alert> alerts) {
    Map<List<Object>, Alert> seen = new LinkedHashMap<>();
    for (Alert alert : alerts) {
      seen.putIfAbsent(List.of(alert.fingerprint(), alert.startsAt(), alert.status()), alert);
    }
    return List.copyOf(seen.values());
  }

  private static StoredNotification await(CompletableFuture<StoredNotification> stored) {
    try {
      return stored.get(STORE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      stored.completeExceptionally(e);
      throw new ApiException(new ApiError(503, "", "the store did not confirm the replay within "
          + STORE_DEADLINE.toSeconds() + " s; retry later"), Map.of(), e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PayloadException refused) {
        throw refused;
      }
      throw new ApiException(new ApiError(503, "", "the store is unavailable; retry later"), Map.of(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stored.completeExceptionally(e);
      throw new ApiException(new ApiError(503, "", "interrupted while storing the replay"), Map.of(), e);
    }
  }

  private static List<Map<String, Object>> alerts(List<StoredAlert> alerts, Set<Long> storedNow,
                                                  List<ReplayOutcome> outcomes) {
    List<Map<String, Object>> answer = new ArrayList<>();
    for (StoredAlert alert : alerts) {
      Map<String, Object> shown = new LinkedHashMap<>();
      shown.put("alertname", alert.alert().alertname());
      shown.put("fingerprint", alert.alert().fingerprint());
      shown.put("status", alert.alert().status().wireName());
      shown.put("startsAt", alert.alert().startsAt().toString());
      if (alert.id() != 0) {
        shown.put("alertId", alert.id());
        shown.put("stored", storedNow.contains(alert.id()) ? "new" : "duplicate");
      }
      shown.put("rules", outcomes.stream().filter(outcome -> outcome.alert() == alert).map(ReplayHandler::outcome)
          .toList());
      answer.add(shown);
    }
    return answer;
  }

  private static Map<String, Object> outcome(ReplayOutcome outcome) {
    Map<String, Object> shown = new LinkedHashMap<>();
    shown.put("rule", outcome.rule());
    shown.put("outcome", outcome.outcome());
    shown.put("state", outcome.state() == null ? null : outcome.state().wireName());
    shown.put("remediationId", outcome.remediationId());
    if (outcome.replayOf() != null) {
      shown.put("replayOf", outcome.replayOf());
    }
    shown.put("guard", outcome.guard());
    shown.put("reason", outcome.reason());
    if (!outcome.steps().isEmpty()) {
      shown.put("guards", outcome.steps().stream().map(step -> {
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("guard", step.guard());
        verdict.put("verdict", step.verdict().wireName());
        verdict.put("reason", step.verdict().reason());
        return verdict;
      }).toList());
      shown.put("params", outcome.params());
    }
    return shown;
  }
}
