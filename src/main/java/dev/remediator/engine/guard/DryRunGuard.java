package dev.remediator.engine.guard;

import dev.remediator.engine.DecisionContext;
import dev.remediator.engine.Guard;
import dev.remediator.engine.Verdict;

/**
 * Dry run: from REMEDIATOR_DRY_RUN, the rules file's settings, or the rule itself. Everything is
 * still decided and audited, counting toward cooldowns and limits in a budget of its own, as live
 * would; nothing executes.
 */
public final class DryRunGuard implements Guard.OfContext {
  private final boolean globalDryRun;

  public DryRunGuard(boolean globalDryRun) {
    this.globalDryRun = globalDryRun;
  }

  @Override
  public String name() {
    return "dry_run";
  }

  @Override
  public Verdict check(DecisionContext context) {
    if (globalDryRun) {
      return new Verdict.DryRun("REMEDIATOR_DRY_RUN is set");
    }
    if (context.ruleSet().dryRun()) {
      return new Verdict.DryRun("settings.dry_run is true in " + context.ruleSet().source());
    }
    if (context.rule().dryRun()) {
      return new Verdict.DryRun("rule " + context.rule().name() + " has dry_run: true");
    }
    return new Verdict.Pass("not a dry run");
  }
}
