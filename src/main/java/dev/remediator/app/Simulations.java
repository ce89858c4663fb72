package dev.remediator.app;

import dev.remediator.action.catalog.ActionCatalog;
import dev.remediator.engine.DecisionContexts;
import dev.remediator.engine.GuardChain;
import dev.remediator.engine.Simulator;
import dev.remediator.engine.guard.AllowlistGuard;
import dev.remediator.engine.guard.ApprovalGuard;
import dev.remediator.engine.guard.CooldownGuard;
import dev.remediator.engine.guard.DryRunGuard;
import dev.remediator.engine.guard.MaxFractionGuard;
import dev.remediator.engine.guard.RateLimitGuard;
import dev.remediator.rules.ParamRenderer;
import dev.remediator.store.StoredAlerts;
import java.util.List;

/**
 * The simulator that {@code POST /api/v1/simulate} and {@code remediator simulate} share: the
 * guards that answer from the rules and the alerts alone (a candidate's own dry_run, cooldown,
 * rate limits, max_fraction, allowlists, approval). The kill switch, breakers and PromQL guards
 * ask the world as it is now, which says nothing about the past, so they are left out and the
 * report names them.
 */
public final class Simulations {
  private Simulations() {}

  public static Simulator simulator() {
    GuardChain guards = new GuardChain(List.of(
        new DryRunGuard(false),
        new CooldownGuard(),
        new RateLimitGuard(),
        new MaxFractionGuard(),
        new AllowlistGuard(),
        new ApprovalGuard()));
    return new Simulator(guards, new DecisionContexts(ActionCatalog.specs(), new ParamRenderer()), new StoredAlerts());
  }
}
