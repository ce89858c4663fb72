package dev.remediator.action.command;

import dev.remediator.action.Action;
import dev.remediator.action.ActionModule;
import dev.remediator.action.SharedClients;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;

/** {@code scale} on a {@code command} target: one step by factor or step, set by an argv list. */
public final class ScaleCommandModule implements ActionModule {
  private static final ScaleCommandSpec SPEC = new ScaleCommandSpec();

  @Override
  public ActionSpec spec() {
    return SPEC;
  }

  @Override
  public TargetKind targetKind() {
    return TargetKind.COMMAND;
  }

  @Override
  public Action open(Target target, SharedClients shared) {
    return new ScaleCommandAction(shared.env(), CommandAction.DEFAULT_KILL_GRACE);
  }
}
