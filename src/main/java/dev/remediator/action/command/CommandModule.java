package dev.remediator.action.command;

import dev.remediator.action.Action;
import dev.remediator.action.ActionModule;
import dev.remediator.action.SharedClients;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;

/** {@code command} on a {@code command} target: an argv list run as a child process. */
public final class CommandModule implements ActionModule {
  private static final CommandSpec SPEC = new CommandSpec();

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
    return new CommandAction(shared.env());
  }
}
