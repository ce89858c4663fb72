package dev.remediator.action.postgres;

import dev.remediator.action.Action;
import dev.remediator.action.ActionModule;
import dev.remediator.action.SharedClients;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;

/** {@code kill_idle_connections} on a {@code postgres} target, through the target's own small pool. */
public final class KillIdleConnectionsModule implements ActionModule {
  private static final KillIdleConnectionsSpec SPEC = new KillIdleConnectionsSpec();

  @Override
  public ActionSpec spec() {
    return SPEC;
  }

  @Override
  public TargetKind targetKind() {
    return TargetKind.POSTGRES;
  }

  @Override
  public Action open(Target target, SharedClients shared) {
    return new KillIdleConnectionsAction(target);
  }
}
