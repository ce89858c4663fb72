package dev.remediator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.http.ApiError;
import dev.remediator.http.Role;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.RunningApp.Answer;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/openapi.json} is held to the route table and to the server's answers: every
 * route is described and nothing else, each operation names its route's role, the document is
 * OpenAPI 3 in shape with every reference resolving, and real answers of the running server,
 * successes and errors, have the status, media type and fields the document gives them. A route
 * added without its description fails here, by name.
 */
class OpenApiTest {
  private static final String WEBHOOK = RunningApp.WEBHOOK;
  private static final String OPERATOR = RunningApp.OPERATOR;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Pattern TEMPLATE = Pattern.compile("\\{([^}/]+)}");
  private static final String RULES = """
      targets:
        host: {kind: command}
      rules:
        - name: hold-load
          match: ['alertname="Load"']
          action: command
          target: host
          approval: required
          with: {argv: ["/bin/echo", "{{ labels.id }}"]}
          allow: {id: "[a-z0-9]{1,8}"}
        - name: restart-disk
          match: ['alertname="Disk"']
          action: restart
          target: host
          with: {argv: ["/bin/echo", "restarted", "{{ labels.id }}"]}
          allow: {id: "[a-z0-9]{1,8}"}
        - name: every-safeguard
          match: ['alertname="NeverSent"']
          action: restart
          target: host
          with: {argv: ["/bin/true"]}
          cooldown: 10m
          group_by: [service]
          max_actions: {count: 2, per: 1h}
          breaker: {failure_rate: 25%, min_calls: 3, window: 30m, open_for: 5m}
          ineffective_after: 2
          guard: {promql: 'vector(1)', expect: '== 1'}
          verify: {promql: 'vector(0)', expect: '< 1', within: 5m}
          silence_while_remediating: 5m
          approval_ttl: 10m
          on_interrupt: recheck
          max_fraction: 0.5
      """;

  @TempDir
  static Path dir;
  private static RunningApp app;
  private static JsonNode document;
  private static SchemaCheck schemas;
  private static long held;
  private static long ran;

  @BeforeAll
  static void start() throws Exception {
    app = RunningApp.withTokens(dir, RULES);
    Answer served = app.get("/api/openapi.json");
    assertThat(served.status()).as(served.body()).isEqualTo(200);
    assertThat(served.contentType()).startsWith("application/json");
    document = JSON.readTree(served.body());
    schemas = new SchemaCheck(document);

    for (String id : List.of("l1", "l2")) {
      assertThat(app.post("/webhook", alert("Load", id), "application/json", WEBHOOK).status()).isEqualTo(200);
    }
    assertThat(app.post("/webhook", alert("Disk", "d1"), "application/json", WEBHOOK).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        app.rows("select state from remediation order by fingerprint")
            .equals(List.of("succeeded", "awaiting_approval", "awaiting_approval")));
    held = Long.parseLong(app.rows("select id from remediation where fingerprint = 'l1'").get(0));
    ran = Long.parseLong(app.rows("select id from remediation where fingerprint = 'd1'").get(0));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void everyRouteIsDocumentedAndNothingElse() {
    Set<String> routes = app.app().routes().stream()
        .map(route -> route.method() + " " + route.path())
        .collect(Collectors.toCollection(TreeSet::new));

    assertThat(operations().keySet())
        .as("the operations in %s against the route table of ApiServer", OpenApiDocument.RESOURCE)
        .containsExactlyInAnyOrderElementsOf(routes);
  }

  @Test
  void eachOperationNamesTheRoleOfItsRoute() {
    JsonNode schemes = document.path("components").path("securitySchemes");
    assertThat(schemes.size()).as("one security scheme").isEqualTo(1);
    JsonNode bearer = schemes.elements().next();
    assertThat(bearer.path("type").asText()).isEqualTo("http");
    assertThat(bearer.path("scheme").asText()).isEqualTo("bearer");
    Map<String, JsonNode> operations = operations();

    for (ApiServer.Route route : app.app().routes()) {
      String name = route.method() + " " + route.path();
      JsonNode operation = operations.get(name);
      assertThat(operation).as("%s is documented", name).isNotNull();
      assertThat(operation.path("x-remediator-role").asText())
          .as("x-remediator-role of %s", name).isEqualTo(route.role().name().toLowerCase(Locale.ROOT));
      JsonNode security = operation.path("security");
      assertThat(security.isArray()).as("%s states its security", name).isTrue();
      if (route.role() == Role.ANYONE) {
        assertThat(security.size()).as("%s needs no credential", name).isZero();
      } else {
        assertThat(security.size()).as("%s needs a credential", name).isPositive();
        for (JsonNode requirement : security) {
          requirement.fieldNames().forEachRemaining(scheme ->
              assertThat(schemes.has(scheme)).as("%s names the scheme %s", name, scheme).isTrue());
        }
      }
    }
  }

  @Test
  void isOpenApi3InShape() {
    assertThat(document.path("openapi").asText()).isIn("3.0.3", "3.1.0");
    assertThat(document.path("info").path("title").asText()).isNotBlank();
    assertThat(document.path("info").path("version").asText()).isNotBlank();
    assertThat(document.path("paths").isObject()).isTrue();
    document.path("paths").fieldNames().forEachRemaining(path -> assertThat(path).startsWith("/"));
    Set<String> operationIds = new HashSet<>();

    operations().forEach((name, operation) -> {
      assertThat(operationIds.add(operation.path("operationId").asText()))
          .as("%s has an operationId of its own", name).isTrue();
      JsonNode responses = operation.path("responses");
      assertThat(responses.isObject() && responses.size() > 0).as("%s has responses", name).isTrue();
      responses.fields().forEachRemaining(response -> {
        assertThat(response.getKey()).as("a response code of %s", name).matches("[1-5](\\d\\d|XX)|default");
        assertThat(schemas.resolve(response.getValue()).path("description").isTextual())
            .as("response %s of %s has a description", response.getKey(), name).isTrue();
      });
      Set<String> declared = new TreeSet<>();
      for (JsonNode parameter : operation.path("parameters")) {
        JsonNode resolved = schemas.resolve(parameter);
        assertThat(resolved.path("in").asText()).as("a parameter of %s", name)
            .isIn("path", "query", "header", "cookie");
        if (resolved.path("in").asText().equals("path")) {
          assertThat(resolved.path("required").asBoolean()).as("path parameters of %s are required", name).isTrue();
          declared.add(resolved.path("name").asText());
        }
      }
      assertThat(declared).as("the path parameters of %s", name)
          .isEqualTo(templateNames(name.substring(name.indexOf(' ') + 1)));
    });
  }

  @Test
  void everyReferenceResolves() {
    List<String> references = new ArrayList<>();
    collectReferences(document, references);

    assertThat(references).isNotEmpty();
    for (String reference : references) {
      assertThat(reference).startsWith("#/");
      assertThat(document.at(reference.substring(1)).isMissingNode()).as("%s resolves", reference).isFalse();
    }
  }

  @Test
  void theErrorBodyIsApiError() {
    JsonNode schema = document.path("components").path("schemas").path("ApiError");
    List<String> fields = Arrays.stream(ApiError.class.getRecordComponents()).map(RecordComponent::getName).toList();

    assertThat(names(schema.path("properties").fieldNames())).containsExactlyElementsOf(fields);
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(field -> required.add(field.asText()));
    assertThat(required).containsExactlyInAnyOrderElementsOf(fields);
  }

  @Test
  void intakeAnswersAsDocumented() {
    conforms("POST", "/webhook", app.post("/webhook", alert("Quiet", "q1"), "application/json", WEBHOOK), 200);
    conforms("POST", "/webhook", app.post("/webhook", alert("Quiet", "q1"), "application/json", null), 401);
    conforms("POST", "/webhook", app.post("/webhook", alert("Quiet", "q1"), "text/plain", WEBHOOK), 415);
    conforms("POST", "/webhook", app.post("/webhook", "{\"version\":\"4\"}", "application/json", WEBHOOK), 400);
  }

  @Test
  void readingRemediationsAnswersAsDocumented() {
    conforms("GET", "/api/v1/remediations", app.get("/api/v1/remediations", OPERATOR), 200);
    conforms("GET", "/api/v1/remediations", app.get("/api/v1/remediations?limit=1", OPERATOR), 200);
    conforms("GET", "/api/v1/remediations", app.get("/api/v1/remediations?limit=0", OPERATOR), 400);
    conforms("GET", "/api/v1/remediations", app.get("/api/v1/remediations", null), 401);
    conforms("GET", "/api/v1/remediations", app.get("/api/v1/remediations", WEBHOOK), 403);
    conforms("GET", "/api/v1/remediations/{id}", app.get("/api/v1/remediations/" + ran, OPERATOR), 200);
    conforms("GET", "/api/v1/remediations/{id}", app.get("/api/v1/remediations/" + held, OPERATOR), 200);
    conforms("GET", "/api/v1/remediations/{id}", app.get("/api/v1/remediations/999999", OPERATOR), 404);
    conforms("GET", "/api/v1/remediations/{id}", app.get("/api/v1/remediations/x", OPERATOR), 400);
  }

  @Test
  void approvalsAnswerAsDocumented() {
    long other = Long.parseLong(app.rows("select id from remediation where fingerprint = 'l2'").get(0));
    String approve = "/api/v1/remediations/{id}/approve";
    String reject = "/api/v1/remediations/{id}/reject";

    conforms("POST", approve, app.post("/api/v1/remediations/" + held + "/approve", "", null, OPERATOR), 200);
    conforms("POST", approve, app.post("/api/v1/remediations/" + held + "/approve", "", null, OPERATOR), 409);
    conforms("POST", reject, app.post("/api/v1/remediations/" + other + "/reject", "{\"reason\":\"not now\"}",
        "application/json", OPERATOR), 200);
    conforms("POST", reject, app.post("/api/v1/remediations/999999/reject", "", null, OPERATOR), 404);
    conforms("POST", reject, app.post("/api/v1/remediations/1/reject", "{\"why\":1}", "application/json", OPERATOR),
        400);
  }

  @Test
  void theRulesInForceAnswerAsDocumented() {
    conforms("GET", "/api/v1/rules", app.get("/api/v1/rules", OPERATOR), 200);
  }

  @Test
  void breakersAnswerAsDocumented() {
    String reset = "/api/v1/breakers/{action}/{target}/reset";

    conforms("GET", "/api/v1/breakers", app.get("/api/v1/breakers", OPERATOR), 200);
    conforms("POST", reset, app.post("/api/v1/breakers/restart/host/reset", "", null, OPERATOR), 200);
    conforms("POST", reset, app.post("/api/v1/breakers/restart/nowhere/reset", "", null, OPERATOR), 404);
  }

  @Test
  void pauseHealthAndTheRestAnswerAsDocumented() {
    conforms("POST", "/api/v1/pause", app.post("/api/v1/pause", "{\"for\":\"1h\"}", "application/json", OPERATOR), 400);
    conforms("POST", "/api/v1/pause", app.post("/api/v1/pause", "{\"reason\":\"freeze\",\"for\":\"1h\"}",
        "application/json", OPERATOR), 200);
    conforms("GET", "/-/ready", app.get("/-/ready"), 200);
    conforms("DELETE", "/api/v1/pause", app.delete("/api/v1/pause", OPERATOR), 200);
    conforms("DELETE", "/api/v1/pause", app.delete("/api/v1/pause", OPERATOR), 200);
    conforms("GET", "/-/ready", app.get("/-/ready"), 200);
    conforms("GET", "/-/healthy", app.get("/-/healthy"), 200);
    conforms("GET", "/metrics", app.get("/metrics"), 200);
    conforms("GET", "/api/openapi.json", app.get("/api/openapi.json"), 200);
    conforms("POST", "/-/reload", app.post("/-/reload", "", null, OPERATOR), 200);
    Answer verify = app.get("/api/v1/audit/verify", OPERATOR);
    conforms("GET", "/api/v1/audit/verify", verify, verify.status());
  }

  @Test
  void theAuditTrailAndAlertHistoryAnswerAsDocumented() throws Exception {
    String audit = "/api/v1/audit";
    conforms("GET", audit, app.get(audit, OPERATOR), 200);
    conforms("GET", audit, app.get(audit + "?limit=2&kind=received", OPERATOR), 200);
    conforms("GET", audit, app.get(audit + "?kind=nonsense", OPERATOR), 400);
    conforms("GET", audit, app.get(audit, WEBHOOK), 403);
    Answer csv = app.send("GET", audit + "?limit=3", Map.of("Authorization", OPERATOR, "Accept", "text/csv"));
    conforms("GET", audit, csv, 200);
    Answer ndjson = app.send("GET", audit + "?limit=3",
        Map.of("Authorization", OPERATOR, "Accept", "application/x-ndjson"));
    conforms("GET", audit, ndjson, 200);
    JsonNode event = document.path("components").path("schemas").path("AuditEvent");
    List<String> lines = ndjson.body().lines().toList();
    assertThat(lines).hasSize(3);
    for (String line : lines) {
      assertThat(schemas.problems(JSON.readTree(line), event)).as("an exported line %s", line).isEmpty();
    }
    assertThat(csv.body().lines().findFirst().orElse(""))
        .as("the CSV header names the fields of AuditEvent")
        .isEqualTo(String.join(",", names(event.path("properties").fieldNames())));

    String alert = "/api/v1/alerts/{fingerprint}";
    conforms("GET", alert, app.get("/api/v1/alerts/d1", OPERATOR), 200);
    conforms("GET", alert, app.get("/api/v1/alerts/unknown", OPERATOR), 404);
  }

  @Test
  void replayAndSimulationAnswerAsDocumented() {
    String replay = "/api/v1/replay";
    String stored = app.rows("select notification_id from alert where fingerprint = 'd1'").get(0);
    String oneAlert = """
        {"labels":{"alertname":"Disk","id":"d2"},"startsAt":"2026-11-22T11:00:00Z","fingerprint":"d2"}""";

    conforms("POST", replay, app.post(replay + "?dryRun=true", oneAlert, "application/json", OPERATOR), 200);
    conforms("POST", replay, app.post(replay, "{\"notificationId\":" + stored + "}", "application/json", OPERATOR),
        200);
    conforms("POST", replay, app.post(replay, "{\"notificationId\":999999}", "application/json", OPERATOR), 404);
    conforms("POST", replay, app.post(replay, "{\"notificationId\":" + stored + ",\"force\":true}",
        "application/json", OPERATOR), 400);
    String simulate = "/api/v1/simulate";
    conforms("POST", simulate, app.post(simulate + "?since=7d", RULES, "text/yaml", OPERATOR), 200);
    conforms("POST", simulate, app.post(simulate + "?since=soon", RULES, "text/yaml", OPERATOR), 400);
    conforms("POST", simulate, app.post(simulate + "?since=7d", "rules: [", "text/yaml", OPERATOR), 400);
  }

  @Test
  void thePageAndOutcomeCountsAnswerAsDocumented() throws Exception {
    String form = "application/x-www-form-urlencoded";
    conforms("GET", "/", app.get("/"), 200);
    conforms("GET", "/static/{file}", app.get("/static/app.js"), 200);
    conforms("GET", "/static/{file}", app.get("/static/app.css"), 200);
    conforms("GET", "/static/{file}", app.get("/static/other.js"), 404);
    conforms("POST", "/sign-in", app.post("/sign-in", "token=wrong", form, null), 401);
    conforms("POST", "/sign-in", app.post("/sign-in", "token=", form, null), 400);
    conforms("POST", "/sign-in", withoutRedirects("/sign-in", "token=operator-token", form), 303);
    conforms("POST", "/sign-out", withoutRedirects("/sign-out", "", form), 303);
    String counts = "/api/v1/audit/counts";
    conforms("GET", counts, app.get(counts + "?since=7d", OPERATOR), 200);
    conforms("GET", counts, app.get(counts + "?since=90d", OPERATOR), 400);
  }

  /**
   * Asserts that {@code answer} has status {@code expected}, that the operation documents that
   * status with the answer's media type, and that the body has the documented shape.
   */
  private static void conforms(String method, String path, Answer answer, int expected) {
    String name = method + " " + path;
    assertThat(answer.status()).as("%s answered %s", name, answer.body()).isEqualTo(expected);
    JsonNode operation = operations().get(name);
    assertThat(operation).as("%s is documented", name).isNotNull();
    JsonNode response = schemas.resolve(operation.path("responses").path(String.valueOf(answer.status())));
    assertThat(response.isMissingNode()).as("%s documents status %d", name, answer.status()).isFalse();
    String mediaType = answer.contentType() == null ? "" : answer.contentType();
    JsonNode content = null;
    for (Iterator<Map.Entry<String, JsonNode>> types = response.path("content").fields(); types.hasNext(); ) {
      Map.Entry<String, JsonNode> type = types.next();
      if (baseType(type.getKey()).equals(baseType(mediaType))) {
        content = type.getValue();
      }
    }
    if (!response.has("content")) {
      assertThat(answer.body()).as("%s %d has no body (%s)", name, answer.status(), mediaType).isEmpty();
      return;
    }
    assertThat(content).as("%s documents %s for status %d", name, mediaType, answer.status()).isNotNull();
    if (baseType(mediaType).equals("application/json")) {
      JsonNode body;
      try {
        body = JSON.readTree(answer.body());
      } catch (Exception e) {
        throw new AssertionError(name + " answered JSON that does not parse: " + answer.body(), e);
      }
      assertThat(schemas.problems(body, content.path("schema")))
          .as("%s %d answered %s", name, answer.status(), answer.body()).isEmpty();
    }
  }

  /** POSTs a form and answers with the first response, not where it redirects to. */
  private static Answer withoutRedirects(String path, String body, String contentType) throws Exception {
    HttpResponse<String> response = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
        .send(HttpRequest.newBuilder(URI.create(app.url(path))).timeout(Duration.ofSeconds(20))
            .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body(),
        response.headers().firstValue("Content-Type").orElse(null));
  }

  private static String baseType(String mediaType) {
    int semicolon = mediaType.indexOf(';');
    return (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }

  /** Every operation of the document by "METHOD path", the method in capitals as in the route table. */
  private static Map<String, JsonNode> operations() {
    Map<String, JsonNode> operations = new TreeMap<>();
    document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(entry -> {
      if (HTTP_METHODS.contains(entry.getKey())) {
        operations.put(entry.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), entry.getValue());
      }
    }));
    return operations;
  }

  private static Set<String> templateNames(String path) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = TEMPLATE.matcher(path);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  private static void collectReferences(JsonNode node, List<String> references) {
    if (node.isObject()) {
      node.fields().forEachRemaining(field -> {
        if (field.getKey().equals("$ref")) {
          references.add(field.getValue().asText());
        } else {
          collectReferences(field.getValue(), references);
        }
      });
    } else if (node.isArray()) {
      node.forEach(element -> collectReferences(element, references));
    }
  }

  private static List<String> names(Iterator<String> names) {
    List<String> list = new ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }

  private static String alert(String alertname, String id) {
    return """
        {"version":"4","groupKey":"g","truncatedAlerts":0,"status":"firing","receiver":"remediator",
         "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://alertmanager:9093",
         "alerts":[{"status":"firing","labels":{"alertname":"%1$s","id":"%2$s"},
         "annotations":{"summary":"%1$s on %2$s"},
         "startsAt":"2026-11-22T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"%2$s"}]}"""
        .formatted(alertname, id);
  }
}
