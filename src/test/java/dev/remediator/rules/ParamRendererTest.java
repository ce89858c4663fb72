package dev.remediator.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import org.assertj.core.api.InstanceOfAssertFactories;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ParamRendererTest {
  private static final Instant STARTS_AT = Instant.parse("2024-03-01T02:59:30Z");

  private final ParamRenderer renderer = new ParamRenderer();

  @Test
  void substitutesLabelsAnnotationsAndAlertFieldsThroughNestedListsAndMaps() {
    Rule rule = rule(Map.of(
        "argv", List.of("kubectl", "rollout", "restart", "deployment/{{ labels.service }}",
            "--namespace", "{{labels.namespace}}"),
        "meta", Map.of("why", "{{ annotations.summary }}", "when", List.of("{{ startsAt }}", "{{ endsAt }}")),
        "ids", "{{ fingerprint }}/{{ status }} {{ generatorURL }}",
        "timeout", 60,
        "force", false),
        Map.of("service", "[a-z0-9-]{1,63}", "namespace", "prod|staging", "annotations.summary", ".*"));
    Alert alert = alert(Labels.of("service", "api", "namespace", "prod"), Labels.of("summary", "5xx above 5%"));

    Map<String, Object> params = renderer.render(rule, alert, true);

    assertThat(params).isEqualTo(Map.of(
        "argv", List.of("kubectl", "rollout", "restart", "deployment/api", "--namespace", "prod"),
        "meta", Map.of("why", "5xx above 5%", "when", List.of("2024-03-01T02:59:30Z", "")),
        "ids", "0123456789abcdef/firing http://prometheus:9090/graph",
        "timeout", 60,
        "force", false));
  }

  @Test
  void endsAtRendersAsUtcIsoInstantWhenPresent() {
    Rule rule = rule(Map.of("text", "{{ status }} at {{ endsAt }}"), Map.of());
    Alert resolved = new Alert(AlertStatus.RESOLVED, Labels.EMPTY, Labels.EMPTY, STARTS_AT,
        Optional.of(Instant.parse("2024-03-01T03:10:00.250Z")), "", "fp");

    assertThat(renderer.render(rule, resolved, false)).containsEntry("text", "resolved at 2024-03-01T03:10:00.250Z");
  }

  @Test
  void valueOutsideTheAllowPatternIsRefused() {
    Rule rule = rule(Map.of("argv", List.of("restart", "{{ labels.service }}")), Map.of("service", "[a-z0-9-]{1,63}"));

    TemplateException e = refusal(rule, alert(Labels.of("service", "a;rm -rf /"), Labels.EMPTY), true);

    assertThat(e).hasMessage("labels.service value \"a;rm -rf /\" does not match allow pattern [a-z0-9-]{1,63}");
    assertThat(e.rule()).isEqualTo("restart-api");
    assertThat(e.reference()).isEqualTo("labels.service");
  }

  @Test
  void allowPatternIsCheckedEvenForLenientActions() {
    Rule rule = rule(Map.of("text", "{{ labels.severity }}"), Map.of("severity", "crit"));

    TemplateException e = refusal(rule, alert(Labels.of("severity", "critical"), Labels.EMPTY), false);

    assertThat(e).hasMessage("labels.severity value \"critical\" does not match allow pattern crit");
  }

  @Test
  void missingLabelRendersAsEmptyAndMustStillMatch() {
    Rule rule = rule(Map.of("argv", List.of("restart", "{{ labels.service }}")), Map.of("service", "[a-z]+"));

    assertThat(refusal(rule, alert(Labels.EMPTY, Labels.EMPTY), true))
        .hasMessage("labels.service value \"\" does not match allow pattern [a-z]+");
  }

  @Test
  void strictRefusesValuesStartingWithDash() {
    Rule rule = rule(Map.of("argv", List.of("restart", "{{ labels.service }}")), Map.of("service", "[a-z0-9-]{1,63}"));

    assertThat(refusal(rule, alert(Labels.of("service", "-rf"), Labels.EMPTY), true))
        .hasMessage("labels.service value \"-rf\" starts with \"-\"");
    assertThat(renderer.render(rule, alert(Labels.of("service", "-rf"), Labels.EMPTY), false))
        .containsEntry("argv", List.of("restart", "-rf"));
  }

  @Test
  void strictRefusesLabelsWithoutAllowPattern() {
    Rule rule = rule(Map.of("argv", List.of("restart", "{{ annotations.target }}")), Map.of());

    assertThat(refusal(rule, alert(Labels.EMPTY, Labels.of("target", "api")), true))
        .hasMessage("annotations.target has no allow pattern");
  }

  @Test
  void hostileValuesAreQuotedEscapedAndCut() {
    Rule rule = rule(Map.of("text", "{{ labels.service }}"), Map.of("service", "[a-z]+"));
    String hostile = "x\"\n\u202e" + "y".repeat(100);

    assertThat(refusal(rule, alert(Labels.of("service", hostile), Labels.EMPTY), false))
        .hasMessage("labels.service value \"x\\\"\\n\\u202e" + "y".repeat(60) + "\"... does not match allow pattern [a-z]+");
  }

  @Test
  void reloadedRuleWithTheSameNameRendersItsNewTemplates() {
    Rule rule = rule(Map.of("text", "{{ labels.service }}"), Map.of());
    Alert api = alert(Labels.of("service", "api"), Labels.EMPTY);
    Alert worker = alert(Labels.of("service", "worker"), Labels.EMPTY);

    assertThat(renderer.render(rule, api, false)).containsEntry("text", "api");
    assertThat(renderer.render(rule, worker, false)).containsEntry("text", "worker");

    Rule reloaded = rule(Map.of("text", "svc={{ labels.service }}"), Map.of());
    assertThat(renderer.render(reloaded, api, false)).containsEntry("text", "svc=api");
  }

  @Test
  void renderedParametersCannotBeChanged() {
    Rule rule = rule(Map.of("argv", List.of("{{ labels.service }}")), Map.of());

    Map<String, Object> params = renderer.render(rule, alert(Labels.of("service", "api"), Labels.EMPTY), false);

    assertThat(params).isUnmodifiable();
    assertThat(params.get("argv")).asInstanceOf(InstanceOfAssertFactories.LIST).isUnmodifiable();
  }

  private TemplateException refusal(Rule rule, Alert alert, boolean strict) {
    TemplateException e = catchThrowableOfType(TemplateException.class, () -> renderer.render(rule, alert, strict));
    assertThat(e).as("expected a refusal").isNotNull();
    return e;
  }

  private static Rule rule(Map<String, Object> with, Map<String, String> allow) {
    Map<String, Pattern> patterns = new HashMap<>();
    allow.forEach((key, regex) -> patterns.put(key, AnchoredRegex.compile(regex)));
    return new Rule("restart-api", 1, List.of(MatcherParser.parse("alertname=\"HighErrorRate\"")), "command",
        "deployer", with, patterns, Optional.empty(), List.of(), Optional.empty(), false, false);
  }

  private static Alert alert(Labels labels, Labels annotations) {
    return new Alert(AlertStatus.FIRING, labels, annotations, STARTS_AT, Optional.empty(),
        "http://prometheus:9090/graph", "0123456789abcdef");
  }
}
