package dev.remediator.api;

import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import dev.remediator.store.AlertHistory;
import dev.remediator.store.AlertOccurrence;
import dev.remediator.store.Database;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/alerts/{fingerprint}}: every stored occurrence of one alert, newest first
 * (at most {@link #MAX_OCCURRENCES}), each with its labels, annotations, when it was received and
 * the remediations decided for it. 404 when the store holds no occurrence.
 */
public final class AlertHandler {
  /** The most occurrences one answer lists; a flapping alert may have many more. */
  public static final int MAX_OCCURRENCES = 500;
  private static final int MAX_FINGERPRINT = 64;

  private final Database database;
  private final AlertHistory history;

  public AlertHandler(Database database, AlertHistory history) {
    this.database = database;
    this.history = history;
  }

  public void show(Context ctx) {
    String fingerprint = ctx.pathParam("fingerprint");
    if (fingerprint.isEmpty() || fingerprint.length() > MAX_FINGERPRINT) {
      throw new ApiException(new ApiError(400, "fingerprint",
          "must be 1 to " + MAX_FINGERPRINT + " characters, like Alertmanager's 16 hex digits"), Map.of(), null);
    }
    List<AlertOccurrence> occurrences = database.inTransaction(
        connection -> history.occurrences(connection, fingerprint, MAX_OCCURRENCES + 1));
    if (occurrences.isEmpty()) {
      throw new ApiException(new ApiError(404, "fingerprint", "no stored occurrence of alert " + fingerprint),
          Map.of(), null);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fingerprint", fingerprint);
    body.put("occurrences", occurrences.subList(0, Math.min(occurrences.size(), MAX_OCCURRENCES)));
    body.put("truncated", occurrences.size() > MAX_OCCURRENCES);
    ctx.json(body);
  }
}
