package dev.remediator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.remediator.testing.DebianTool;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.RunningApp.Answer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard in {@code grafana/dashboards/} and its provisioning files: every panel
 * query parses as PromQL ({@code promtool check rules}), every metric a query reads is one a
 * running remediator exports, except the few that later work adds, which stay in their own
 * collapsed row; and the provisioning files load that dashboard directory and a Prometheus.
 */
class GrafanaDashboardTest {
  private static final Path DASHBOARDS = Path.of("grafana/dashboards");
  private static final Path DASHBOARD = DASHBOARDS.resolve("remediator.json");
  private static final Path DASHBOARD_PROVIDER = Path.of("grafana/provisioning/dashboards/remediator.yml");
  private static final Path DATASOURCES = Path.of("grafana/provisioning/datasources/prometheus.yml");
  private static final String SAFETY_ROW = "Safety and audit";
  /** The safety envelope and the audit chain, read in the safety row. */
  private static final Set<String> SAFETY = Set.of("remediator_breaker_state", "remediator_paused",
      "remediator_audit_head_seq");
  /** What the dashboard is for: each of these must be on it. */
  private static final Set<String> REQUIRED = Set.of("remediator_notifications_received_total",
      "remediator_alerts_received_total", "remediator_alerts_duplicate_total", "remediator_webhook_rejected_total",
      "remediator_webhook_duration_seconds_bucket", "remediator_decisions_total", "remediator_actions_total",
      "remediator_action_duration_seconds_bucket", "remediator_queue_depth");
  /** Grafana's own variables, with a value of the kind Grafana puts in their place. */
  private static final Map<String, String> BUILT_INS = Map.of("__rate_interval", "1m", "__interval", "30s",
      "__range", "1h", "__range_s", "3600", "__interval_ms", "30000");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::[^}]*)?}|\\$(\\w+)|\\[\\[(\\w+)(?::[^]]*)?]]");
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern GROUPING = Pattern.compile(
      "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][\\w:]*)(\\s*\\()?");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
      "group_left", "group_right", "bool", "offset", "inf", "nan", "atan2");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  @TempDir
  Path dir;

  @Test
  void everyPanelQueryParsesAsPromqlWithPromtool() throws Exception {
    JsonNode dashboard = dashboard();
    List<Query> queries = queries(dashboard);
    assertThat(queries).as("panel queries in " + DASHBOARD).hasSizeGreaterThan(10);

    ObjectNode rules = JSON.createObjectNode();
    ArrayNode group = rules.putArray("groups").addObject().put("name", "dashboard").putArray("rules");
    for (int i = 0; i < queries.size(); i++) {
      group.addObject().put("record", "dashboard:query_" + i).put("expr", concrete(queries.get(i).expr(), dashboard));
    }
    Path file = dir.resolve("dashboard-queries.yml");
    YAML.writeValue(file.toFile(), rules);
    promtool().assertSucceeds("check", "rules", file.toString());
  }

  @Test
  void everyPanelReadsThroughTheDatasourceVariable() throws IOException {
    JsonNode dashboard = dashboard();
    assertThat(dashboard.path("schemaVersion").asInt()).as("schemaVersion of " + DASHBOARD).isBetween(36, 41);
    JsonNode datasource = variables(dashboard).get("datasource");
    assertThat(datasource).as("a template variable named datasource in " + DASHBOARD).isNotNull();
    assertThat(datasource.path("type").asText()).isEqualTo("datasource");
    assertThat(datasource.path("query").asText()).isEqualTo("prometheus");

    Set<Integer> ids = new TreeSet<>();
    for (JsonNode panel : panels(dashboard)) {
      assertThat(ids.add(panel.path("id").asInt(-1)))
          .as("panel id %s of \"%s\" is unique", panel.path("id"), panel.path("title").asText()).isTrue();
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.path("datasource").path("uid").asText())
          .as("data source of panel \"%s\"", panel.path("title").asText()).isEqualTo("${datasource}");
      assertThat(panel.path("targets")).as("queries of panel \"%s\"", panel.path("title").asText()).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        assertThat(target.path("datasource").path("uid").asText())
            .as("data source of a query of panel \"%s\"", panel.path("title").asText()).isEqualTo("${datasource}");
      }
    }
  }

  @Test
  void everyMetricTheDashboardReadsIsExported() throws Exception {
    JsonNode dashboard = dashboard();
    Map<String, Set<String>> rowsByMetric = new TreeMap<>();
    for (Query query : queries(dashboard)) {
      for (String name : metricNames(concrete(query.expr(), dashboard))) {
        rowsByMetric.computeIfAbsent(name, missing -> new TreeSet<>()).add(query.row());
      }
    }
    assertThat(rowsByMetric.keySet()).as("metrics the dashboard reads").containsAll(REQUIRED).containsAll(SAFETY);

    Set<String> exported = exportedSampleNames();
    assertThat(exported).as("sample names on /metrics after one notification").containsAll(REQUIRED);

    Set<String> missing = new TreeSet<>(rowsByMetric.keySet());
    missing.removeAll(exported);
    assertThat(missing).as("metrics the dashboard reads that /metrics does not export; /metrics has %s", exported)
        .isEmpty();
    for (String safety : SAFETY) {
      assertThat(rowsByMetric.get(safety)).as("rows reading " + safety).contains(SAFETY_ROW);
    }
    JsonNode safety = rows(dashboard).get(SAFETY_ROW);
    assertThat(safety).as("a row titled \"" + SAFETY_ROW + "\"").isNotNull();
    assertThat(safety.path("collapsed").asBoolean()).as("the safety row is collapsed").isTrue();
  }

  @Test
  void metricNamesAreTakenFromSelectorsButNotFromFunctionsLabelsOrStrings() {
    assertThat(metricNames("histogram_quantile(0.95, sum by (le, action) (rate(a_bucket{x=\"b_c\"}[1m]))) / "
        + "on (job) group_left (z) max(up) > bool 1e3 and c_total offset 5m"))
        .containsExactlyInAnyOrder("a_bucket", "up", "c_total");
  }

  @Test
  void provisioningLoadsTheDashboardsDirectoryAndAPrometheusDatasource() throws IOException {
    JsonNode providers = YAML.readTree(DASHBOARD_PROVIDER.toFile()).path("providers");
    assertThat(providers).as("providers in " + DASHBOARD_PROVIDER).hasSize(1);
    JsonNode provider = providers.get(0);
    assertThat(provider.path("type").asText()).as("provider type in " + DASHBOARD_PROVIDER).isEqualTo("file");
    String path = provider.path("options").path("path").asText();
    assertThat(Path.of(path)).as("options.path in " + DASHBOARD_PROVIDER).isAbsolute();
    assertThat(Path.of(path).getFileName().toString())
        .as("options.path in %s names the mount of %s", DASHBOARD_PROVIDER, DASHBOARDS)
        .isEqualTo(DASHBOARDS.getFileName().toString());
    assertThat(Files.readString(DASHBOARD_PROVIDER))
        .as("%s says how to mount %s at %s", DASHBOARD_PROVIDER, DASHBOARDS, path)
        .contains("./" + DASHBOARDS + ":" + path);

    JsonNode datasources = YAML.readTree(DATASOURCES.toFile()).path("datasources");
    assertThat(datasources).as("datasources in " + DATASOURCES).hasSize(1);
    JsonNode prometheus = datasources.get(0);
    assertThat(prometheus.path("type").asText()).isEqualTo("prometheus");
    assertThat(prometheus.path("access").asText()).isEqualTo("proxy");
    assertThat(prometheus.path("url").asText()).isEqualTo("http://prometheus:9090");
  }

  /** One panel query, with the title of the row it sits under ("" above the first row). */
  private record Query(String row, String panel, String expr) {}

  private static JsonNode dashboard() throws IOException {
    return JSON.readTree(DASHBOARD.toFile());
  }

  /** Every panel, those nested in collapsed rows included, in order. */
  private static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      all.add(panel);
      panel.path("panels").forEach(all::add);
    }
    return all;
  }

  private static Map<String, JsonNode> rows(JsonNode dashboard) {
    Map<String, JsonNode> rows = new LinkedHashMap<>();
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        rows.put(panel.path("title").asText(), panel);
      }
    }
    return rows;
  }

  private static List<Query> queries(JsonNode dashboard) {
    List<Query> queries = new ArrayList<>();
    String row = "";
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        row = panel.path("title").asText();
        for (JsonNode nested : panel.path("panels")) {
          addQueries(queries, row, nested);
        }
      } else {
        addQueries(queries, row, panel);
      }
    }
    return queries;
  }

  private static void addQueries(List<Query> queries, String row, JsonNode panel) {
    for (JsonNode target : panel.path("targets")) {
      String expr = target.path("expr").asText("");
      assertThat(expr).as("expr of query %s of panel \"%s\"", target.path("refId").asText(),
          panel.path("title").asText()).isNotBlank();
      queries.add(new Query(row, panel.path("title").asText(), expr));
    }
  }

  private static Map<String, JsonNode> variables(JsonNode dashboard) {
    Map<String, JsonNode> variables = new LinkedHashMap<>();
    dashboard.path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
    return variables;
  }

  /**
   * {@code expr} with Grafana's variables replaced as Grafana would: its built-ins by durations,
   * the dashboard's own variables by a regex matching anything (they sit in {@code =~} matchers).
   */
  private static String concrete(String expr, JsonNode dashboard) {
    Set<String> own = variables(dashboard).keySet();
    Matcher matcher = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1) != null ? matcher.group(1)
          : matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
      String value = BUILT_INS.get(name);
      if (value == null && own.contains(name)) {
        value = ".*";
      }
      if (value == null) {
        fail("query %s uses $%s, which is neither a Grafana built-in %s nor a variable of the dashboard %s",
            expr, name, BUILT_INS.keySet(), own);
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return matcher.appendTail(out).toString();
  }

  /**
   * Metric names a PromQL expression selects: identifiers left once strings, label matchers,
   * ranges and grouping clauses are removed, that are neither functions (followed by a
   * parenthesis) nor keywords.
   */
  static Set<String> metricNames(String expr) {
    String bare = STRING.matcher(expr).replaceAll("\"\"");
    bare = GROUPING.matcher(bare).replaceAll(" ");
    bare = bare.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
    bare = bare.replaceAll("\\boffset\\s+-?\\w+", " ");
    Set<String> names = new TreeSet<>();
    Matcher matcher = IDENTIFIER.matcher(bare);
    while (matcher.find()) {
      String name = matcher.group(1);
      if (matcher.group(2) == null && !KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * The sample names on {@code /metrics} of a real remediator that has taken one notification
   * twice (a duplicate), run its command action and refused one malformed request.
   */
  private Set<String> exportedSampleNames() throws IOException {
    String rules = """
        settings: {dry_run: false}
        targets:
          runner: {kind: command}
        rules:
          - name: restart-api
            match: ['alertname="HighErrorRate"']
            action: command
            target: runner
            with:
              argv: ["/bin/true", "{{ labels.service }}"]
              timeout: 10s
            allow: {service: "[a-z0-9-]{1,63}"}
        """;
    String token = "alertmanager:dashboard-s3cret";
    try (RunningApp app = RunningApp.start(dir, rules, Optional.empty(), Optional.of(token),
        Optional.of("operator-token"), false, Map.of())) {
      String payload = payload("one.json");
      for (int i = 0; i < 2; i++) {
        Answer answer = app.post("/webhook", payload, "application/json", "Bearer " + token);
        assertThat(answer.status()).as("POST /webhook of one.json: %s", answer.body()).isBetween(200, 299);
      }
      Answer malformed = app.post("/webhook", "{not json", "application/json", "Bearer " + token);
      assertThat(malformed.status()).as("POST /webhook of malformed JSON").isEqualTo(400);
      await().atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(sampleNames(app.get("/metrics").body()))
              .as("sample names on /metrics once the action ran")
              .contains("remediator_actions_total", "remediator_action_duration_seconds_bucket",
                  "remediator_decisions_total", "remediator_queue_depth", "remediator_breaker_state",
                  "remediator_paused", "remediator_audit_head_seq"));
      Answer metrics = app.get("/metrics");
      assertThat(metrics.status()).as("GET /metrics").isEqualTo(200);
      return sampleNames(metrics.body());
    }
  }

  private static Set<String> sampleNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher name = Pattern.compile("^[a-zA-Z_:][\\w:]*").matcher(line);
      if (name.find()) {
        names.add(name.group());
      }
    }
    return names;
  }

  private static String payload(String name) throws IOException {
    try (InputStream in = GrafanaDashboardTest.class.getResourceAsStream("/payloads/" + name)) {
      assertThat(in).as("test resource /payloads/" + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static DebianTool promtool() {
    return DebianTool.require("promtool", "prometheus", "to check the queries of " + DASHBOARD, Duration.ofSeconds(60));
  }
}
