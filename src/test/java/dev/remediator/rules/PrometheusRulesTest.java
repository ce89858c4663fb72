package dev.remediator.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.remediator.action.catalog.ActionCatalog;
import dev.remediator.alert.LabelMatcher;
import dev.remediator.alert.Labels;
import dev.remediator.testing.DebianTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus rules in {@code rules/prometheus/} pass {@code promtool check rules} and their
 * unit tests pass {@code promtool test rules}; every alert has a firing case in those tests; and
 * every alert the remediation rules match on is defined there, firing with the labels those
 * rules match, template, allow-check and group on.
 */
class PrometheusRulesTest {
  private static final Path RULES_DIR = Path.of("rules/prometheus");
  private static final Path TESTS_DIR = RULES_DIR.resolve("tests");
  private static final Path REMEDIATION_RULES = Path.of("rules/remediation.yml");
  private static final Pattern LABEL_TEMPLATE = Pattern.compile("labels\\.([A-Za-z_][A-Za-z0-9_]*)");

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  @Test
  void everyRulesFilePassesPromtoolCheckRules() throws Exception {
    List<Path> rulesFiles = rulesFiles();
    assertThat(rulesFiles).as("rules files in " + RULES_DIR).isNotEmpty();

    for (Path file : rulesFiles) {
      promtool().assertSucceeds("check", "rules", file.toString());
    }
  }

  @Test
  void everyUnitTestFilePassesPromtoolTestRules() throws Exception {
    List<Path> testFiles = testFiles();
    assertThat(testFiles).as("promtool unit test files in " + TESTS_DIR).isNotEmpty();

    for (Path file : testFiles) {
      promtool().assertSucceeds("test", "rules", file.toString());
    }
  }

  @Test
  void everyAlertHasAFiringCaseInTheUnitTests() throws Exception {
    Map<String, List<Labels>> firing = firingExamples();

    for (String alertname : alerts().keySet()) {
      assertThat(firing.getOrDefault(alertname, List.of()))
          .as("alert %s needs an alert_rule_test in %s where it fires (non-empty exp_alerts)", alertname, TESTS_DIR)
          .isNotEmpty();
    }
  }

  @Test
  void everyAlertHasSeveritySummaryDescriptionAndRunbookUrl() throws Exception {
    for (Map.Entry<String, JsonNode> alert : alerts().entrySet()) {
      JsonNode rule = alert.getValue();
      assertThat(rule.path("labels").path("severity").asText())
          .as("alert %s must set a severity label", alert.getKey()).isNotBlank();
      for (String annotation : List.of("summary", "description", "runbook_url")) {
        assertThat(rule.path("annotations").path(annotation).asText())
            .as("alert %s must have the annotation %s", alert.getKey(), annotation).isNotBlank();
      }
      assertThat(rule.path("annotations").path("runbook_url").asText())
          .as("runbook_url of %s", alert.getKey())
          .startsWith("https://").endsWith("/" + alert.getKey());
    }
  }

  @Test
  void everyAlertTheRemediationRulesMatchFiresWithTheLabelsTheyUse() throws Exception {
    RuleSet remediation = new RulesLoader(ActionCatalog.specs(), Map.of()).load(REMEDIATION_RULES);
    Map<String, JsonNode> alerts = alerts();
    Map<String, List<Labels>> firing = firingExamples();
    Set<String> matchedAlertnames = new TreeSet<>();

    for (Rule rule : remediation.rules()) {
      String alertname = alertnameOf(rule).orElseThrow(() -> new AssertionError(
          "remediation rule " + rule.name() + " matches no single alertname, so its alert cannot be checked"));
      matchedAlertnames.add(alertname);
      assertThat(alerts).as("alert %s, matched by remediation rule %s, must be defined in %s",
          alertname, rule.name(), RULES_DIR).containsKey(alertname);

      Set<String> used = labelsUsedBy(rule);
      List<String> reasons = new ArrayList<>();
      boolean satisfied = false;
      for (Labels example : firing.getOrDefault(alertname, List.of())) {
        Optional<String> problem = problemWith(rule, used, example);
        if (problem.isEmpty()) {
          satisfied = true;
          break;
        }
        reasons.add(example + ": " + problem.get());
      }
      if (!satisfied) {
        fail("no firing case of %s in %s matches remediation rule %s with the labels it uses %s; %s",
            alertname, TESTS_DIR, rule.name(), used, reasons.isEmpty() ? "there is no firing case" : reasons);
      }
    }

    assertThat(matchedAlertnames).contains("HighErrorRate", "HighResponseTime", "WorkerQueueBacklog",
        "DatabaseConnectionPoolExhausted", "ErrorBudgetBurnRateCritical", "APIDown", "RedisDown");
  }

  /** Why the labels of a firing alert would not do for this rule, or empty when they would. */
  private static Optional<String> problemWith(Rule rule, Set<String> used, Labels example) {
    if (!rule.matches(example)) {
      return Optional.of("the rule's matchers do not match");
    }
    for (String label : used) {
      String value = example.asMap().getOrDefault(label, "");
      if (value.isEmpty()) {
        return Optional.of("label " + label + " is missing");
      }
      Pattern allowed = rule.allow().get(label);
      if (allowed != null && !allowed.matcher(value).matches()) {
        return Optional.of("label " + label + "=" + value + " fails the allow pattern " + allowed.pattern());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> alertnameOf(Rule rule) {
    return rule.matchers().stream()
        .filter(m -> m.name().equals("alertname") && m.op() == LabelMatcher.Op.EQUAL)
        .map(LabelMatcher::value)
        .findFirst();
  }

  /** Labels a rule matches on, templates into its parameters, checks with allow, or groups by. */
  private static Set<String> labelsUsedBy(Rule rule) {
    Set<String> used = new TreeSet<>();
    rule.matchers().forEach(m -> used.add(m.name()));
    Matcher templated = LABEL_TEMPLATE.matcher(String.valueOf(rule.with()));
    while (templated.find()) {
      used.add(templated.group(1));
    }
    rule.allow().keySet().stream().filter(name -> !name.startsWith("annotations.")).forEach(used::add);
    used.addAll(rule.groupBy());
    return used;
  }

  /** Alerting rules by alertname, from every rules file. */
  private Map<String, JsonNode> alerts() throws IOException {
    Map<String, JsonNode> alerts = new TreeMap<>();
    for (Path file : rulesFiles()) {
      for (JsonNode group : yaml.readTree(file.toFile()).path("groups")) {
        for (JsonNode rule : group.path("rules")) {
          if (rule.hasNonNull("alert")) {
            JsonNode previous = alerts.put(rule.get("alert").asText(), rule);
            assertThat(previous).as("alert %s is defined twice", rule.get("alert").asText()).isNull();
          }
        }
      }
    }
    return alerts;
  }

  /** The labels of every alert the unit tests expect to fire, by alertname, alertname included. */
  private Map<String, List<Labels>> firingExamples() throws IOException {
    Map<String, List<Labels>> firing = new TreeMap<>();
    for (Path file : testFiles()) {
      for (JsonNode test : yaml.readTree(file.toFile()).path("tests")) {
        for (JsonNode check : test.path("alert_rule_test")) {
          String alertname = check.path("alertname").asText();
          for (JsonNode expected : check.path("exp_alerts")) {
            Map<String, String> labels = new LinkedHashMap<>();
            expected.path("exp_labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            labels.put("alertname", alertname);
            firing.computeIfAbsent(alertname, name -> new ArrayList<>()).add(Labels.of(labels));
          }
        }
      }
    }
    return firing;
  }

  private static List<Path> rulesFiles() throws IOException {
    return yamlFiles(RULES_DIR);
  }

  private static List<Path> testFiles() throws IOException {
    return yamlFiles(TESTS_DIR);
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  private static DebianTool promtool() {
    return DebianTool.require("promtool", "prometheus", "to check rules/prometheus/", Duration.ofSeconds(120));
  }
}
