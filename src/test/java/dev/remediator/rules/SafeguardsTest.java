package dev.remediator.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafeguardsTest {
  private static final String HEAD = """
      targets:
        deployer: {kind: command}
        oncall: {kind: webhook, url: "http://127.0.0.1:9/oncall", format: slack}
        team: {kind: webhook, url: "http://127.0.0.1:9/team", format: slack}
      rules:
        - name: restart-api
          match: ['alertname="HighErrorRate"']
          action: command
          target: deployer
          with: {argv: ["true"]}
      """;

  private final RulesLoader loader = new RulesLoader(TestCatalog.actions(), Map.of());

  @Test
  void aRuleWithoutSafeguardsGetsTheDefaults() {
    Safeguards safeguards = rule("").safeguards();

    assertThat(safeguards).isEqualTo(Safeguards.NONE);
    assertThat(safeguards.approvalTtl()).isEqualTo(Duration.ofMinutes(30));
    assertThat(safeguards.onInterrupt()).isEqualTo(OnInterrupt.ESCALATE);
    assertThat(BreakerSettings.Override.NONE.over(BreakerSettings.DEFAULT)).isEqualTo(BreakerSettings.DEFAULT);
  }

  @Test
  void readsEverySafeguard() {
    Safeguards safeguards = rule("""
            breaker: {failure_rate: 25%, min_calls: 3, window: 30m, open_for: 5m}
            ineffective_after: 3
            guard: {promql: 'sum(up{job="api"}) / count(up{job="api"})', expect: '>= 0.8'}
            verify: {resolved_within: 5m}
            silence_while_remediating: 15m
            approval_ttl: 10m
            on_interrupt: recheck
            escalate_to: team
        """).safeguards();

    assertThat(safeguards.breaker().over(BreakerSettings.DEFAULT))
        .isEqualTo(new BreakerSettings(0.25, 3, Duration.ofMinutes(30), Duration.ofMinutes(5)));
    assertThat(safeguards.ineffectiveAfter()).hasValue(3);
    assertThat(safeguards.guard()).contains(new PromCheck("sum(up{job=\"api\"}) / count(up{job=\"api\"})",
        new Expectation(Expectation.Op.GE, 0.8)));
    assertThat(safeguards.verify()).contains(new Verification.ResolvedWithin(Duration.ofMinutes(5)));
    assertThat(safeguards.silenceWhileRemediating()).contains(Duration.ofMinutes(15));
    assertThat(safeguards.approvalTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(safeguards.onInterrupt()).isEqualTo(OnInterrupt.RECHECK);
    assertThat(safeguards.escalateTo()).contains("team");
  }

  @Test
  void aPartialBreakerKeepsTheRestFromBelow() {
    BreakerSettings.Override override = rule("    breaker: {open_for: 1h}\n").safeguards().breaker();

    assertThat(override.over(BreakerSettings.DEFAULT))
        .isEqualTo(new BreakerSettings(0.5, 5, Duration.ofHours(1), Duration.ofHours(1)));
  }

  @Test
  void aTargetTakesABreakerTooWhichARuleOverridesAndWhichOverridesTheDefault() {
    RuleSet rules = loader.parse("rules.yml", HEAD.replace("deployer: {kind: command}",
        "deployer: {kind: command, breaker: {min_calls: 2, window: 2h}}")
        + "    breaker: {window: 30m, open_for: 1h}\n");

    assertThat(rules.breaker("deployer"))
        .isEqualTo(new BreakerSettings(0.5, 2, Duration.ofHours(2), Duration.ofMinutes(10)));
    assertThat(rules.breaker(rules.rules().get(0)))
        .isEqualTo(new BreakerSettings(0.5, 2, Duration.ofMinutes(30), Duration.ofHours(1)));
    assertThat(rules.breaker("oncall")).isEqualTo(BreakerSettings.DEFAULT);
    assertThat(rules.target("deployer").settings()).as("not a client setting").isEmpty();
  }

  @Test
  void aTargetsBreakerIsCheckedInTheSameWordsAsARules() {
    RulesException e = catchThrowableOfType(RulesException.class, () -> loader.parse("rules.yml",
        HEAD.replace("deployer: {kind: command}",
            "deployer: {kind: command, breaker: {failure_rate: 150%, min_calls: 0, every: 1h}}")));

    assertThat(e).isNotNull();
    assertThat(String.join("\n", e.problems()))
        .contains("targets.deployer.breaker.failure_rate: must be a fraction above 0 and at most 1")
        .contains("targets.deployer.breaker.min_calls: must be a whole number of at least 1")
        .contains("targets.deployer.breaker")
        .contains("every");
  }

  @Test
  void readsPromqlAndHttpVerifications() {
    assertThat(rule("    verify: {promql: 'rate(errors[5m])', expect: '< 0.05', within: 10m}\n").safeguards().verify())
        .contains(new Verification.Query(new PromCheck("rate(errors[5m])", new Expectation(Expectation.Op.LT, 0.05)),
            Duration.ofMinutes(10)));
    assertThat(rule("    verify: {http_get: {url: 'https://api.example.com/health', within: 2m}}\n").safeguards()
        .verify()).contains(new Verification.HttpGet(URI.create("https://api.example.com/health"), 200,
            Duration.ofMinutes(2)));
    assertThat(rule("    verify: {http_get: {url: 'http://api:8080/health', expect: 204, within: 1m}}\n")
        .safeguards().verify()).contains(new Verification.HttpGet(URI.create("http://api:8080/health"), 204,
            Duration.ofMinutes(1)));
  }

  @Test
  void maxFractionIsForRestartsAndScalesOnly() {
    assertThat(problems("    max_fraction: 0.5\n")).singleElement().asString()
        .contains("rules[0].max_fraction: applies to restart and scale only, not to \"command\"");
  }

  @Test
  void reportsEveryBadSafeguardWithItsPath() {
    List<String> problems = problems("""
            breaker: {failure_rate: 2, min_calls: 0, window: 0s, open_for: soon}
            ineffective_after: -1
            guard: {promql: 'up{job="{{ labels.job }}"}', expect: 'about 1'}
            silence_while_remediating: 0s
            on_interrupt: retry
            escalate_to: deployer
        """);

    assertThat(String.join("\n", problems))
        .contains("rules[0].breaker.failure_rate: must be a fraction above 0 and at most 1")
        .contains("rules[0].breaker.min_calls: must be a whole number of at least 1")
        .contains("rules[0].breaker.window: must be longer than 0")
        .contains("rules[0].breaker.open_for:")
        .contains("rules[0].ineffective_after: must be a whole number of at least 1")
        .contains("rules[0].guard.expect: must be a comparison and a number")
        .contains("rules[0].silence_while_remediating: must be longer than 0")
        .contains("rules[0].on_interrupt: must be \"escalate\" or \"recheck\"")
        .contains("rules[0].escalate_to: target \"deployer\" is a command target; escalations go to a webhook target");
  }

  @Test
  void refusesAlertValuesInQueriesAndUrls() {
    assertThat(String.join("\n", problems("    guard: {promql: 'up{job=\"{{ labels.job }}\"}', expect: '== 1'}\n")))
        .contains("rules[0].guard.promql: must be fixed text; alert values never reach a query");
    assertThat(String.join("\n", problems(
        "    verify: {http_get: {url: 'http://{{ labels.host }}/health', within: 1m}}\n")))
        .contains("rules[0].verify.http_get.url: must be fixed text; alert values never reach a URL");
    assertThat(String.join("\n", problems("    verify: {http_get: {url: 'file:///etc/passwd', within: 1m}}\n")))
        .contains("must be an http or https URL with a host");
  }

  @Test
  void aVerificationIsExactlyOneKind() {
    assertThat(String.join("\n", problems("    verify: {resolved_within: 5m, http_get: {url: 'http://a/', within: 1m}}\n")))
        .contains("rules[0].verify: must give exactly one of resolved_within, promql");
    assertThat(String.join("\n", problems("    verify: {promql: 'up', expect: '== 1'}\n")))
        .contains("rules[0].verify")
        .contains("within");
  }

  @Test
  void expectationsCompareAsWritten() {
    assertThat(Expectation.parse(">= 0.8").test(0.8)).isTrue();
    assertThat(Expectation.parse(">= 0.8").test(0.79)).isFalse();
    assertThat(Expectation.parse("<0.05").test(0.01)).isTrue();
    assertThat(Expectation.parse("== 0").test(0)).isTrue();
    assertThat(Expectation.parse("!= 0").test(Double.NaN)).isFalse();
    assertThat(Expectation.parse(" > 1e3 ").toString()).isEqualTo("> 1000");
    assertThatThrownBy(() -> Expectation.parse("=> 1")).hasMessageContaining("must be a comparison");
    assertThatThrownBy(() -> Expectation.parse("> NaN")).hasMessageContaining("finite");
  }

  private Rule rule(String safeguards) {
    return loader.parse("rules.yml", HEAD + safeguards).rules().get(0);
  }

  private List<String> problems(String safeguards) {
    String yaml = HEAD + safeguards;
    RulesException e = catchThrowableOfType(RulesException.class, () -> loader.parse("rules.yml", yaml));
    assertThat(e).as("expected problems in:\n" + yaml).isNotNull();
    return e.problems();
  }
}
