package dev.remediator.action.railway;

import dev.remediator.action.Action;
import dev.remediator.action.ActionModule;
import dev.remediator.action.SharedClients;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;

/** {@code rollback} on a {@code railway} target: back to the newest older deployment Railway allows, pinned when decided. */
public final class RailwayRollbackModule implements ActionModule {
  private static final RailwaySpec SPEC = new RailwaySpec("rollback");

  @Override
  public ActionSpec spec() {
    return SPEC;
  }

  @Override
  public TargetKind targetKind() {
    return TargetKind.RAILWAY;
  }

  @Override
  public Action open(Target target, SharedClients shared) {
    return new RailwayRollbackAction(SPEC, new RailwayDeployments(new RailwayApi(shared.http(), shared.json(), target)));
  }
}
