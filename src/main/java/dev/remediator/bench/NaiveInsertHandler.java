package dev.remediator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.store.Database;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.jetbrains.annotations.NotNull;

/**
 * The naive reference: what a webhook receiver does in a few lines. Parse the body with Jackson,
 * insert each alert with its own statement, all of one request in its own transaction, and answer
 * 200 with the count. No validation beyond what the insert needs, no batching across requests.
 */
final class NaiveInsertHandler implements Handler {
  private final Database database;
  private final ObjectMapper json;
  private final Clock clock;

  NaiveInsertHandler(Database database, ObjectMapper json, Clock clock) {
    this.database = database;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public void handle(@NotNull Context ctx) {
    JsonNode alerts;
    try {
      alerts = json.readTree(ctx.bodyAsBytes()).path("alerts");
    } catch (IOException e) {
      ctx.status(400).result("malformed JSON");
      return;
    }
    Instant receivedAt = clock.instant();
    int inserted;
    try {
      inserted = database.inTransaction(connection -> {
        int count = 0;
        try (PreparedStatement insert = connection.prepareStatement(NaiveAlertTable.INSERT)) {
          for (JsonNode alert : alerts) {
            insert.setString(1, alert.path("fingerprint").asText());
            insert.setString(2, alert.path("status").asText());
            database.dialect().setInstant(insert, 3, OffsetDateTime.parse(alert.path("startsAt").asText()).toInstant());
            insert.setString(4, alert.path("labels").toString());
            database.dialect().setInstant(insert, 5, receivedAt);
            count += insert.executeUpdate();
          }
        }
        return count;
      });
    } catch (DateTimeParseException e) {
      ctx.status(400).result("startsAt is not a timestamp");
      return;
    }
    ctx.status(200).contentType("application/json").result("{\"inserted\":" + inserted + "}");
  }
}
