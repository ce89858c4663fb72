package dev.remediator.action.railway;

import dev.remediator.action.Action;
import dev.remediator.action.ActionModule;
import dev.remediator.action.SharedClients;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;

/** {@code restart} on a {@code railway} target: restarts the service's latest deployment. */
public final class RailwayRestartModule implements ActionModule {
  private static final RailwaySpec SPEC = new RailwaySpec("restart");

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
    return new RailwayRestartAction(SPEC, new RailwayDeployments(new RailwayApi(shared.http(), shared.json(), target)));
  }
}
