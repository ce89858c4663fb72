package dev.remediator.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.alert.Labels;
import org.assertj.core.api.InstanceOfAssertFactories;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules file the project ships loads with no environment set and covers every runbook alert. */
class ShippedRulesTest {
  private static final Path SHIPPED = Path.of("rules/remediation.yml");

  private final RulesLoader loader = new RulesLoader(TestCatalog.actions(), Map.of());

  @Test
  void shippedRulesFileIsValidWithNoEnvironmentSet() throws Exception {
    RuleSet rules = loader.load(SHIPPED);

    assertThat(rules.dryRun()).isTrue();
    assertThat(rules.escalateTo()).contains("oncall");
    assertThat(rules.target("oncall").setting("url")).isEqualTo("http://127.0.0.1:9/oncall-webhook-not-configured");
    assertThat(rules.maxActions()).isPresent();
  }

  @Test
  void shippedRulesCoverEveryRunbookAlert() throws Exception {
    RuleSet rules = loader.load(SHIPPED);

    for (String alertname : List.of("HighErrorRate", "HighResponseTime", "WorkerQueueBacklog",
        "DatabaseConnectionPoolExhausted", "ErrorBudgetBurnRateCritical", "APIDown", "RedisDown")) {
      Labels labels = Labels.of("alertname", alertname, "severity", "critical", "service", "api",
          "namespace", "prod", "worker", "worker-llm");
      assertThat(rules.matching(labels)).as(alertname).isNotEmpty();
    }
  }

  @Test
  void shippedRollbackWaitsForApproval() throws Exception {
    RuleSet rules = loader.load(SHIPPED);

    Labels burning = Labels.of("alertname", "ErrorBudgetBurnRateCritical", "service", "api", "namespace", "prod");
    assertThat(rules.matching(burning))
        .filteredOn(rule -> rule.action().equals("command"))
        .singleElement()
        .satisfies(rule -> assertThat(rule.approvalRequired()).isTrue());
  }

  @Test
  void shippedDatabaseUrlComesFromTheEnvironment() throws Exception {
    RuleSet rules = new RulesLoader(TestCatalog.actions(), Map.of("APP_DB_URL", "postgresql://db.internal/app"))
        .load(SHIPPED);

    Labels exhausted = Labels.of("alertname", "DatabaseConnectionPoolExhausted");
    assertThat(rules.matching(exhausted).get(0).with().get("argv"))
        .asInstanceOf(InstanceOfAssertFactories.LIST).contains("--dbname=postgresql://db.internal/app");
  }
}
