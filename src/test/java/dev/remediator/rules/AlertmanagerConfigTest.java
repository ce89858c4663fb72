package dev.remediator.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.remediator.action.catalog.ActionCatalog;
import dev.remediator.alert.Labels;
import dev.remediator.testing.DebianTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Alertmanager configuration loads in Alertmanager's own checker and routes each
 * remediable alert to remediator and to people, remediator's own alerts to people only, and
 * Watchdog to remediator, as amtool resolves the route tree.
 */
class AlertmanagerConfigTest {
  private static final Path CONFIG = Path.of("alertmanager/alertmanager.yml");
  private static final Path SHIPPED_RULES = Path.of("rules/remediation.yml");
  private static final List<String> REMEDIABLE = List.of("HighErrorRate", "APIDown", "WorkerQueueBacklog",
      "DatabaseConnectionPoolExhausted", "ErrorBudgetBurnRateCritical", "RedisDown", "HighResponseTime");

  private static DebianTool amtool;

  @TempDir
  Path temp;

  @BeforeAll
  static void findAmtool() {
    amtool = DebianTool.require("amtool", "prometheus-alertmanager", "to check alertmanager/alertmanager.yml",
        Duration.ofSeconds(30));
  }

  @Test
  void shippedConfigPassesAmtoolCheckConfig() throws Exception {
    DebianTool.Result check = amtool.run(List.of("check-config", CONFIG.toString()));

    assertThat(check.exitCode()).as("amtool check-config %s:%n%s%s", CONFIG, check.stdout(), check.stderr()).isZero();
    assertThat(check.stdout()).contains("SUCCESS").contains("2 receivers").contains("3 inhibit rules");
  }

  @Test
  void checkConfigRejectsAWebhookTimeoutWhichThisAlertmanagerDoesNotKnow() throws Exception {
    // The config leaves `timeout` commented out; this shows why, and that check-config can fail.
    String config = Files.readString(CONFIG);
    assertThat(config).contains("# timeout: 10s");
    Path withTimeout = temp.resolve("alertmanager.yml");
    Files.writeString(withTimeout, config.replace("# timeout: 10s", "timeout: 10s"));

    DebianTool.Result check = amtool.run(List.of("check-config", withTimeout.toString()));

    assertThat(check.exitCode()).as("amtool check-config with a webhook timeout").isNotZero();
    assertThat(check.stdout() + check.stderr()).contains("field timeout not found");
  }

  @Test
  void everyRemediableAlertReachesRemediatorAndThenPeople() throws Exception {
    for (String alertname : REMEDIABLE) {
      assertThat(receivers("alertname=" + alertname, "service=api", "namespace=prod", "severity=critical",
          "worker=worker-llm")).as(alertname).containsExactly("remediator", "human");
    }
  }

  @Test
  void everyAlertRoutedToRemediatorHasAShippedRuleAndTheOthersHaveNone() throws Exception {
    RuleSet rules = new RulesLoader(ActionCatalog.specs(), Map.of()).load(SHIPPED_RULES);

    for (String alertname : REMEDIABLE) {
      Labels labels = Labels.of("alertname", alertname, "severity", "critical", "service", "api",
          "namespace", "prod", "worker", "worker-llm");
      assertThat(rules.matching(labels)).as("rules matching %s", alertname).isNotEmpty();
    }
    for (String alertname : List.of("Watchdog", "RemediatorDown", "RemediatorNotReceiving", "DiskFull")) {
      assertThat(rules.matching(Labels.of("alertname", alertname, "service", "api", "namespace", "prod")))
          .as("rules matching %s", alertname).isEmpty();
    }
  }

  @Test
  void remediatorsOwnAlertsReachOnlyPeople() throws Exception {
    for (String alertname : List.of("RemediatorDown", "RemediatorNotReceiving", "RemediatorEscalationFailed")) {
      assertThat(receivers("alertname=" + alertname, "namespace=monitoring", "service=remediator",
          "severity=critical")).as(alertname).containsExactly("human");
    }
  }

  @Test
  void watchdogReachesRemediatorAsADeadMansSwitch() throws Exception {
    assertThat(receivers("alertname=Watchdog", "severity=none")).containsExactly("remediator");
  }

  @Test
  void anAlertNoRuleActsOnReachesOnlyPeople() throws Exception {
    assertThat(receivers("alertname=DiskFull", "service=api", "namespace=prod", "severity=warning"))
        .containsExactly("human");
    // A name that merely contains a remediable one is not remediable: matchers are anchored.
    assertThat(receivers("alertname=HighErrorRateWarning", "service=api", "namespace=prod"))
        .containsExactly("human");
  }

  private List<String> receivers(String... labels) throws Exception {
    List<String> args = new ArrayList<>(List.of("config", "routes", "test", "--config.file=" + CONFIG));
    args.addAll(Arrays.asList(labels));
    DebianTool.Result test = amtool.run(args);
    assertThat(test.exitCode()).as("amtool %s:%n%s%s", String.join(" ", args), test.stdout(), test.stderr()).isZero();
    return Arrays.stream(test.stdout().strip().split(",")).map(String::strip).toList();
  }
}
