package dev.remediator.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.action.catalog.ActionCatalog;
import dev.remediator.alert.Labels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules file the project ships loads with no environment set and covers every runbook alert. */
class ShippedRulesTest {
  private static final Path SHIPPED = Path.of("rules/remediation.yml");

  private final RulesLoader loader = new RulesLoader(ActionCatalog.specs(), Map.of());

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
        .filteredOn(rule -> rule.action().equals("rollback"))
        .singleElement()
        .satisfies(rule -> assertThat(rule.approvalRequired()).isTrue());
  }

  @Test
  void shippedDatabaseTargetComesFromTheEnvironment() throws Exception {
    RuleSet rules = new RulesLoader(ActionCatalog.specs(), Map.of("APP_DB_JDBC_URL", "jdbc:postgresql://db.internal/app",
        "APP_DB_NAME", "orders")).load(SHIPPED);

    Labels exhausted = Labels.of("alertname", "DatabaseConnectionPoolExhausted");
    Rule kill = rules.matching(exhausted).get(0);
    assertThat(kill.action()).isEqualTo("kill_idle_connections");
    assertThat(rules.target(kill.target()).setting("jdbc_url")).isEqualTo("jdbc:postgresql://db.internal/app");
    assertThat(kill.with()).containsEntry("database", "orders");
  }

  @Test
  void shippedRulesUseNativeActionsOnly() throws Exception {
    RuleSet rules = loader.load(SHIPPED);

    assertThat(rules.rules()).extracting(Rule::action).doesNotContain("command");
    assertThat(rules.rules()).extracting(Rule::action)
        .contains("restart", "rollback", "scale", "kill_idle_connections", "notify");
  }

  @Test
  void everyExampleRulesFileIsValid() throws Exception {
    for (String example : List.of("railway", "compose", "kubernetes")) {
      RuleSet rules = loader.load(Path.of("rules/examples/" + example + ".yml"));
      assertThat(rules.rules()).as(example).isNotEmpty();
    }
  }
}
