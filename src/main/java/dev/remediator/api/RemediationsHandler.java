package dev.remediator.api;

import dev.remediator.audit.RemediationTimeline;
import dev.remediator.config.Redaction;
import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import dev.remediator.store.Database;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationView;
import dev.remediator.store.RemediationViews;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/remediations} and {@code GET /api/v1/remediations/{id}}: what was decided for
 * which alert, where it stands, and (for one) its whole audit timeline and what the action found
 * and changed. Lists are newest first and paged with {@code before}; {@code state=pending} lists
 * the remediations awaiting approval, as on-call engineers say it, so the queued state is asked
 * for as {@code state=queued}. Parameters are masked before they are shown.
 */
public final class RemediationsHandler {
  static final int DEFAULT_LIMIT = 100;
  private static final Set<String> PARAMETERS = Set.of("state", "rule", "limit", "before");
  private static final int MAX_RULE_LENGTH = 200;

  private final Database database;
  private final RemediationViews views;
  private final RemediationTimeline timeline;

  public RemediationsHandler(Database database, RemediationViews views, RemediationTimeline timeline) {
    this.database = database;
    this.views = views;
    this.timeline = timeline;
  }

  public void list(Context ctx) {
    for (String name : ctx.queryParamMap().keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw bad(shorten(name), "unknown parameter; accepted are " + String.join(", ", PARAMETERS.stream().sorted()
            .toList()));
      }
    }
    long asked = number(ctx, "limit").orElse((long) DEFAULT_LIMIT);
    if (asked > RemediationViews.MAX_LIMIT) {
      throw bad("limit", "must be 1-" + RemediationViews.MAX_LIMIT + ", got " + asked);
    }
    int limit = (int) asked;
    RemediationViews.Query query = new RemediationViews.Query(state(ctx), rule(ctx), number(ctx, "before"), limit);
    List<RemediationView> page = database.inTransaction(connection -> views.list(connection, query));
    List<Map<String, Object>> items = new ArrayList<>(page.size());
    page.forEach(view -> items.add(item(view)));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("remediations", items);
    answer.put("nextBefore", page.size() == limit ? page.get(page.size() - 1).id() : null);
    ctx.json(answer);
  }

  public void one(Context ctx) {
    long id = positive("id", ctx.pathParam("id"));
    record Found(RemediationView view, List<RemediationTimeline.Entry> events) {}
    Optional<Found> found = database.inTransaction(connection -> {
      Optional<RemediationView> view = views.one(connection, id);
      return view.isEmpty() ? Optional.<Found>empty() : Optional.of(new Found(view.get(), timeline.of(connection, id)));
    });
    if (found.isEmpty()) {
      throw new ApiException(new ApiError(404, "id", "no remediation with id " + id), Map.of(), null);
    }
    Map<String, Object> answer = item(found.get().view());
    List<Map<String, Object>> events = new ArrayList<>();
    Object result = null;
    for (RemediationTimeline.Entry entry : found.get().events()) {
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("id", entry.id());
      event.put("at", entry.at());
      event.put("kind", entry.kind());
      event.put("actor", entry.actor());
      event.put("outcome", entry.outcome());
      event.put("detail", Redaction.structure(entry.detail()));
      events.add(event);
      if (entry.detail().containsKey("result")) {
        result = Redaction.structure(entry.detail().get("result"));
      }
    }
    answer.put("result", result);
    answer.put("timeline", events);
    ctx.json(answer);
  }

  private static Map<String, Object> item(RemediationView view) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("id", view.id());
    item.put("state", view.state().wireName());
    item.put("rule", view.rule());
    item.put("action", view.action());
    item.put("target", view.target());
    item.put("params", Redaction.structure(view.params()));
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("fingerprint", view.fingerprint());
    alert.put("alertname", view.alertname());
    alert.put("startsAt", view.startsAt());
    alert.put("status", view.alert() == null ? null : view.alert().status());
    alert.put("labels", view.alert() == null ? null : view.alert().labels());
    alert.put("annotations", view.alert() == null ? null : view.alert().annotations());
    alert.put("generatorURL", view.alert() == null ? null : view.alert().generatorUrl());
    item.put("alert", alert);
    item.put("decidedAt", view.decidedAt());
    item.put("reason", view.reason());
    item.put("attempts", view.attempts());
    item.put("startedAt", view.startedAt());
    item.put("finishedAt", view.finishedAt());
    item.put("error", view.error());
    item.put("verification", view.verification());
    if (view.state() == RemediationState.AWAITING_APPROVAL) {
      item.put("expiresAt", view.expiresAt());
    }
    return item;
  }

  /**
   * The state asked for: {@code pending} means awaiting approval and {@code queued} the state
   * {@code pending}; every other state by its own name.
   */
  private static Optional<RemediationState> state(Context ctx) {
    String raw = ctx.queryParam("state");
    if (raw == null) {
      return Optional.empty();
    }
    if (raw.equals("pending")) {
      return Optional.of(RemediationState.AWAITING_APPROVAL);
    }
    if (raw.equals("queued")) {
      return Optional.of(RemediationState.PENDING);
    }
    for (RemediationState state : RemediationState.values()) {
      if (state != RemediationState.PENDING && state.wireName().equals(raw)) {
        return Optional.of(state);
      }
    }
    throw bad("state", "unknown state '" + shorten(raw) + "'; one of " + stateNames());
  }

  static String stateNames() {
    return "pending (awaiting approval), queued, " + Arrays.stream(RemediationState.values())
        .filter(state -> state != RemediationState.PENDING).map(RemediationState::wireName)
        .collect(Collectors.joining(", "));
  }

  private static Optional<String> rule(Context ctx) {
    String raw = ctx.queryParam("rule");
    if (raw == null) {
      return Optional.empty();
    }
    if (raw.isBlank() || raw.length() > MAX_RULE_LENGTH) {
      throw bad("rule", "must be a rule name of 1-" + MAX_RULE_LENGTH + " characters");
    }
    return Optional.of(raw);
  }

  private static Optional<Long> number(Context ctx, String name) {
    String raw = ctx.queryParam(name);
    return raw == null ? Optional.empty() : Optional.of(positive(name, raw));
  }

  private static long positive(String name, String raw) {
    try {
      long value = Long.parseLong(raw);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw bad(name, "must be a positive integer, got '" + shorten(raw) + "'");
  }

  private static ApiException bad(String field, String reason) {
    return new ApiException(new ApiError(400, field, reason), Map.of(), null);
  }

  private static String shorten(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
