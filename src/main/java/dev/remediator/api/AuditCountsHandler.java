package dev.remediator.api;

import dev.remediator.audit.OutcomeCounts;
import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import dev.remediator.rules.PromDuration;
import dev.remediator.store.Database;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v1/audit/counts?since=24h}: how remediations came out over a recent window
 * (a Prometheus duration, 24h unless given, at most 31d), counted by outcome, for the page's
 * summary and for anyone who wants the same figure from a script.
 */
public final class AuditCountsHandler {
  static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
  static final Duration MAX_WINDOW = Duration.ofDays(31);

  private final Database database;
  private final OutcomeCounts counts;
  private final Clock clock;

  public AuditCountsHandler(Database database, OutcomeCounts counts, Clock clock) {
    this.database = database;
    this.counts = counts;
    this.clock = clock;
  }

  public void counts(Context ctx) {
    for (String name : ctx.queryParamMap().keySet()) {
      if (!name.equals("since")) {
        throw bad(OperatorRequest.shorten(name), "unknown parameter; only \"since\" is accepted");
      }
    }
    Duration window = window(ctx.queryParam("since"));
    Instant since = clock.instant().minus(window);
    Map<String, Long> outcomes = database.inTransaction(connection -> counts.since(connection, since));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("since", since.toString());
    answer.put("window", PromDuration.format(window));
    answer.put("outcomes", outcomes);
    ctx.json(answer);
  }

  private static Duration window(String raw) {
    if (raw == null) {
      return DEFAULT_WINDOW;
    }
    Duration window;
    try {
      window = PromDuration.parse(raw);
    } catch (IllegalArgumentException e) {
      throw bad("since", e.getMessage());
    }
    if (window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
      throw bad("since", "must be a duration from 1s to 31d, like 24h, got \"" + OperatorRequest.shorten(raw) + "\"");
    }
    return window;
  }

  private static ApiException bad(String field, String reason) {
    return new ApiException(new ApiError(400, field, reason), Map.of(), null);
  }
}
