package dev.remediator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import dev.remediator.resilience.BreakerView;
import dev.remediator.resilience.Breakers;
import dev.remediator.rules.BreakerSettings;
import dev.remediator.rules.PromDuration;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.BreakerState;
import dev.remediator.store.Database;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/breakers} lists every breaker as it stands now; {@code POST
 * /api/v1/breakers/{action}/{target}/reset} closes the breakers of one (action, target), its
 * rules' alert groups included, with an optional body {@code {"reason": "..."}}, audited with
 * the operator. Answers 404 for an (action, target) that has no breaker.
 */
public final class BreakerHandler {
  private final Database database;
  private final Breakers breakers;
  private final Supplier<RuleSet> rules;
  private final Clock clock;
  private final ObjectMapper json;

  public BreakerHandler(Database database, Breakers breakers, Supplier<RuleSet> rules, Clock clock,
                        ObjectMapper json) {
    this.database = database;
    this.breakers = breakers;
    this.rules = rules;
    this.clock = clock;
    this.json = json;
  }

  public void list(Context ctx) {
    RuleSet ruleSet = rules.get();
    List<BreakerView> views = database.inTransaction(connection -> breakers.list(connection, ruleSet,
        clock.instant()));
    ctx.json(Map.of("breakers", views.stream().map(BreakerHandler::view).toList()));
  }

  public void reset(Context ctx) {
    String action = ctx.pathParam("action");
    String target = ctx.pathParam("target");
    String reason = OperatorRequest.reason(ctx, json);
    String actor = OperatorRequest.actor(ctx);
    Instant now = clock.instant();
    int reset = database.inTransaction(connection -> breakers.reset(connection, action, target, actor, reason, now));
    if (reset == 0) {
      throw new ApiException(new ApiError(404, "target", "no breaker for action '" + OperatorRequest.shorten(action)
          + "' on target '" + OperatorRequest.shorten(target) + "'"), Map.of(), null);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("action", action);
    answer.put("target", target);
    answer.put("state", BreakerState.CLOSED.wireName());
    answer.put("breakers_reset", reset);
    ctx.json(answer);
  }

  private static Map<String, Object> view(BreakerView view) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("action", view.key().action());
    out.put("target", view.key().target());
    if (view.key().isGroup()) {
      out.put("rule", view.key().rule());
      out.put("group", view.key().group());
    }
    out.put("state", view.state().wireName());
    out.put("failures", view.failures());
    out.put("calls", view.calls());
    out.put("opened_at", view.openedAt() == null ? null : view.openedAt().toString());
    out.put("open_until", view.openUntil() == null ? null : view.openUntil().toString());
    BreakerSettings settings = view.settings();
    Map<String, Object> shown = new LinkedHashMap<>();
    shown.put("failure_rate", settings.failureRate());
    shown.put("min_calls", settings.minCalls());
    shown.put("window", PromDuration.format(settings.window()));
    shown.put("open_for", PromDuration.format(settings.openFor()));
    out.put("settings", shown);
    return out;
  }
}
