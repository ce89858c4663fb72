package dev.remediator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.audit.AuditFixture;
import dev.remediator.audit.AuditLog;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.RunningApp.Answer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/audit} and {@code GET /api/v1/alerts/{fingerprint}} through the real server,
 * on each store: pages and their cursor, filters, the 400s that name the parameter, and exports
 * whose NDJSON and CSV hold exactly the events the JSON pages hold.
 */
abstract class AuditApiContract {
  static final String VIEWER = "Bearer view-token";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  RunningApp app;

  /** The store's URL; empty for the embedded store in the test's directory. */
  abstract Optional<String> databaseUrl();

  @BeforeEach
  void start() {
    String rules = """
        targets:
          host: {kind: command}
        rules:
          - name: touch-on-load
            match: ['alertname="Load"']
            action: command
            target: host
            with: {argv: ["/bin/true"]}
        """;
    app = RunningApp.start(dir, rules, databaseUrl(), Optional.of("hook-token"), Optional.of("op-token"), false,
        Map.of(), config -> config.withViewerToken(Optional.of("view-token")));
    app.app().database().inTransaction(c -> {
      new AuditLog().append(c, AuditFixture.events());
      new AuditLog().append(c, AuditFixture.more(0, 230));
      return null;
    });
  }

  @AfterEach
  void stop() {
    app.close();
  }

  Answer get(String path) {
    return app.send("GET", path, Map.of("Authorization", VIEWER));
  }

  Answer export(String path, String accept) {
    return app.send("GET", path, Map.of("Authorization", VIEWER, "Accept", accept));
  }

  static JsonNode json(Answer answer) throws Exception {
    return JSON.readTree(answer.body());
  }

  /** Every event the JSON API gives for {@code query}, following the cursor page by page. */
  List<JsonNode> allPages(String query, int limit) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    String cursor = null;
    do {
      Answer answer = get("/api/v1/audit?limit=" + limit + query + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      JsonNode page = json(answer);
      assertThat(page.get("events").size()).isLessThanOrEqualTo(limit);
      page.get("events").forEach(events::add);
      cursor = page.get("next").isNull() ? null : page.get("next").asText();
    } while (cursor != null);
    return events;
  }

  @Test
  void aPageIsNewestFirstWithTheDefaultLimitAndANextCursor() throws Exception {
    Answer answer = get("/api/v1/audit");
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("application/json");
    JsonNode page = json(answer);
    assertThat(page.get("events").size()).isEqualTo(AuditParameters.DEFAULT_LIMIT);
    List<Long> ids = new ArrayList<>();
    page.get("events").forEach(event -> ids.add(event.get("id").asLong()));
    assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(page.get("next").asText()).isEqualTo(String.valueOf(ids.get(ids.size() - 1)));
    JsonNode newest = page.get("events").get(0);
    assertThat(newest.get("kind").asText()).isEqualTo("guard");
    assertThat(newest.get("alertname").asText()).isEqualTo("Load");
    assertThat(newest.get("detail").get("n").asInt()).isEqualTo(229);
    assertThat(newest.get("at").asText()).isEqualTo(AuditFixture.T0.plusSeconds(3600 + 229).toString());
  }

  @Test
  void filtersAndTheTextSearchReachTheStore() throws Exception {
    List<JsonNode> disk = allPages("&alertname=DiskFull", 10);
    assertThat(disk).extracting(event -> event.get("kind").asText()).containsExactly("succeeded", "received");
    List<JsonNode> failed = allPages("&q=NOT%20found&rule=restart-api&kind=failed&actor=worker-1"
        + "&since=2026-11-22T10:00:00Z&until=2026-11-22T12:00:00%2B01:00&outcome=failed&action=restart"
        + "&target=cluster&fingerprint=fp-api", 10);
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).get("detail").get("error").asText()).isEqualTo("Deployment api not FOUND");
    assertThat(allPages("&rule=rule-1&outcome=skip", 500)).hasSize(230 / 3 / 2 + 1)
        .allSatisfy(event -> assertThat(event.get("rule").asText()).isEqualTo("rule-1"));
  }

  @Test
  void theCursorWalksEveryEventOnceWhileOthersAreAppended() throws Exception {
    List<Long> seen = new ArrayList<>();
    String cursor = null;
    int round = 0;
    do {
      JsonNode page = json(get("/api/v1/audit?limit=50&alertname=Load" + (cursor == null ? "" : "&cursor=" + cursor)));
      page.get("events").forEach(event -> seen.add(event.get("id").asLong()));
      int from = 1_000 + 10 * round++;
      app.app().database().inTransaction(c -> {
        new AuditLog().append(c, AuditFixture.more(from, 5));
        return null;
      });
      cursor = page.get("next").isNull() ? null : page.get("next").asText();
    } while (cursor != null);
    assertThat(seen).hasSize(230).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(round).isEqualTo(5);
  }

  @Test
  void theLimitIsBetweenOneAndFiveHundred() throws Exception {
    assertThat(json(get("/api/v1/audit?limit=1")).get("events").size()).isEqualTo(1);
    assertThat(json(get("/api/v1/audit?limit=500")).get("events").size()).isEqualTo(238);
    assertThat(json(get("/api/v1/audit?limit=500")).get("next").isNull()).isTrue();
    for (String limit : List.of("0", "501", "-1", "ten", "1.5", "99999999999999999999")) {
      assertBad(get("/api/v1/audit?limit=" + limit), "limit");
    }
  }

  @Test
  void badParametersAreRefusedNamingTheParameter() throws Exception {
    assertBad(get("/api/v1/audit?since=yesterday"), "since");
    assertBad(get("/api/v1/audit?until=2026-11-22"), "until");
    assertBad(get("/api/v1/audit?since=2026-11-22T10:00:00Z&until=2026-11-22T10:00:00Z"), "until");
    assertBad(get("/api/v1/audit?cursor=0"), "cursor");
    assertBad(get("/api/v1/audit?cursor=abc"), "cursor");
    assertBad(get("/api/v1/audit?cursor=999999"), "cursor");
    assertBad(export("/api/v1/audit?cursor=999999", "application/x-ndjson"), "cursor");
    assertBad(get("/api/v1/audit?kind=exploded"), "kind");
    assertBad(get("/api/v1/audit?alertname="), "alertname");
    assertBad(get("/api/v1/audit?q=" + "x".repeat(AuditParameters.MAX_VALUE_LENGTH + 1)), "q");
    assertBad(get("/api/v1/audit?rule=a&rule=b"), "rule");
    assertBad(get("/api/v1/audit?rulename=a"), "rulename");
    assertBad(export("/api/v1/audit?limit=0", "text/csv"), "limit");
  }

  private static void assertBad(Answer answer, String parameter) throws Exception {
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(json(answer).get("field").asText()).as(answer.body()).isEqualTo(parameter);
    assertThat(json(answer).get("reason").asText()).isNotBlank();
  }

  @Test
  void ndjsonHoldsExactlyTheEventsOfTheJsonPages() throws Exception {
    List<JsonNode> pages = allPages("", 37);
    Answer answer = export("/api/v1/audit", "application/x-ndjson");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("application/x-ndjson");
    List<JsonNode> lines = new ArrayList<>();
    for (String line : answer.body().split("\n")) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).hasSize(238).isEqualTo(pages);

    Answer limited = export("/api/v1/audit?limit=3&outcome=pass", "application/x-ndjson");
    assertThat(limited.body().split("\n")).hasSize(3);
    assertThat(JSON.readTree(limited.body().split("\n")[0])).isEqualTo(allPages("&outcome=pass", 500).get(0));
  }

  @Test
  void csvHoldsExactlyTheEventsOfTheJsonPagesQuotedAndDefused() throws Exception {
    List<JsonNode> pages = allPages("", 500);
    Answer answer = export("/api/v1/audit", "text/csv");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("text/csv");
    List<List<String>> rows = Csv.parse(answer.body());
    List<String> header = rows.get(0);
    assertThat(header).containsExactly("id", "at", "kind", "actor", "notificationId", "alertId", "remediationId",
        "fingerprint", "alertname", "rule", "action", "target", "outcome", "detail");
    assertThat(rows).hasSize(pages.size() + 1);
    for (int i = 0; i < pages.size(); i++) {
      JsonNode event = pages.get(i);
      List<String> row = rows.get(i + 1);
      for (int column = 0; column < header.size(); column++) {
        JsonNode value = event.get(header.get(column));
        String expected = value.isNull() ? "" : value.isObject() ? JSON.writeValueAsString(value) : value.asText();
        String cell = row.get(column);
        if (header.get(column).equals("detail")) {
          assertThat(JSON.readTree(cell)).isEqualTo(value);
        } else {
          assertThat(cell).as(header.get(column) + " of " + event).isEqualTo(expected);
        }
      }
    }
    assertThat(answer.body()).contains("\"{\"\"error\"\":\"\"Deployment api not FOUND\"\",\"\"label\"\":"
        + "\"\"=HYPERLINK(\\\"\"http://evil\\\"\")\"\"}\"");
  }

  @Test
  void anAlertShowsEveryOccurrenceWithItsRemediations() throws Exception {
    String alert = """
        {"version":"4","groupKey":"g","truncatedAlerts":0,"status":"%1$s","receiver":"remediator",
         "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://alertmanager:9093",
         "alerts":[{"status":"%1$s","labels":{"alertname":"Load","instance":"web-1"},
         "annotations":{"summary":"load is high"},
         "startsAt":"2026-11-22T10:00:00Z","endsAt":"%2$s","generatorURL":"","fingerprint":"abcdef0123456789"}]}""";
    assertThat(app.post("/webhook", alert.formatted("firing", "0001-01-01T00:00:00Z"), "application/json",
        "Bearer hook-token").status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(app.rows("select state from remediation where fingerprint = 'abcdef0123456789'"))
            .containsExactly("succeeded"));
    assertThat(app.post("/webhook", alert.formatted("resolved", "2026-11-22T10:05:00Z"), "application/json",
        "Bearer hook-token").status()).isEqualTo(200);

    Answer answer = get("/api/v1/alerts/abcdef0123456789");
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode body = json(answer);
    assertThat(body.get("fingerprint").asText()).isEqualTo("abcdef0123456789");
    assertThat(body.get("truncated").asBoolean()).isFalse();
    JsonNode occurrences = body.get("occurrences");
    assertThat(occurrences.size()).isEqualTo(2);
    JsonNode resolved = occurrences.get(0);
    JsonNode firing = occurrences.get(1);
    assertThat(resolved.get("status").asText()).isEqualTo("resolved");
    assertThat(firing.get("status").asText()).isEqualTo("firing");
    assertThat(firing.get("startsAt").asText()).isEqualTo("2026-11-22T10:00:00Z");
    assertThat(firing.get("labels")).isEqualTo(JSON.readTree("{\"alertname\":\"Load\",\"instance\":\"web-1\"}"));
    assertThat(firing.get("annotations").get("summary").asText()).isEqualTo("load is high");
    assertThat(firing.get("received").asText()).isNotEmpty();
    JsonNode remediation = firing.get("remediations").get(0);
    assertThat(firing.get("remediations").size()).isEqualTo(1);
    assertThat(remediation.get("rule").asText()).isEqualTo("touch-on-load");
    assertThat(remediation.get("action").asText()).isEqualTo("command");
    assertThat(remediation.get("target").asText()).isEqualTo("host");
    assertThat(remediation.get("state").asText()).isEqualTo("succeeded");
    assertThat(remediation.get("id").asLong()).isPositive();
    assertThat(remediation.get("decidedAt").asText()).isNotEmpty();
    assertThat(remediation.get("finishedAt").asText()).isNotEmpty();
    assertThat(resolved.get("remediations").size()).isZero();

    Answer missing = get("/api/v1/alerts/0000000000000000");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(json(missing).get("field").asText()).isEqualTo("fingerprint");
    assertBad(get("/api/v1/alerts/" + "f".repeat(65)), "fingerprint");
  }

  /** A strict reader of RFC 4180 CSV (quoted fields with commas, quotes and line breaks; CRLF rows), for assertions. */
  static final class Csv {
    static List<List<String>> parse(String text) {
      List<List<String>> rows = new ArrayList<>();
      List<String> row = new ArrayList<>();
      int i = 0;
      while (i < text.length()) {
        StringBuilder field = new StringBuilder();
        if (text.charAt(i) == '"') {
          i++;
          while (true) {
            char c = text.charAt(i++);
            if (c != '"') {
              field.append(c);
            } else if (i < text.length() && text.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          }
        } else {
          while (text.charAt(i) != ',' && text.charAt(i) != '\r') {
            assertThat(text.charAt(i)).as("an unquoted field holds no quote or line feed").isNotIn('"', '\n');
            field.append(text.charAt(i++));
          }
        }
        row.add(field.toString());
        if (text.charAt(i) == ',') {
          i++;
        } else {
          assertThat(text.substring(i, i + 2)).isEqualTo("\r\n");
          i += 2;
          rows.add(row);
          row = new ArrayList<>();
        }
      }
      return rows;
    }
  }
}
