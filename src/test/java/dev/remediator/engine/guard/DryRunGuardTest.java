package dev.remediator.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.engine.DecisionContext;
import dev.remediator.engine.Verdict;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.StoredAlert;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DryRunGuardTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private static DecisionContext context(boolean fileDryRun, boolean ruleDryRun) {
    Rule rule = new Rule("restart-api", 1, List.of(), "command", "deployer", Map.of(), Map.of(), Optional.empty(),
        List.of(), Optional.empty(), ruleDryRun, false);
    RuleSet rules = new RuleSet("rules.yml", fileDryRun, Optional.empty(), Map.of(), List.of(rule), Optional.empty());
    StoredAlert alert = new StoredAlert(1, 1, new Alert(AlertStatus.FIRING, Labels.of("alertname", "A"), Labels.EMPTY,
        T0, Optional.empty(), "", null));
    return new DecisionContext(rules, rule, alert, "g", T0, Map.of(), null);
  }

  @Test
  void environmentSwitchWinsOverEverything() {
    assertThat(new DryRunGuard(true).check(context(false, false)))
        .isEqualTo(new Verdict.DryRun("REMEDIATOR_DRY_RUN is set"));
  }

  @Test
  void rulesFileSettingMakesEveryRuleADryRun() {
    assertThat(new DryRunGuard(false).check(context(true, false)))
        .isEqualTo(new Verdict.DryRun("settings.dry_run is true in rules.yml"));
  }

  @Test
  void ruleOfItsOwnIsADryRun() {
    assertThat(new DryRunGuard(false).check(context(false, true)))
        .isEqualTo(new Verdict.DryRun("rule restart-api has dry_run: true"));
  }

  @Test
  void otherwiseItPasses() {
    assertThat(new DryRunGuard(false).check(context(false, false))).isEqualTo(new Verdict.Pass("not a dry run"));
  }
}
