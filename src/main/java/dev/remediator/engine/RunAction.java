package dev.remediator.engine;

import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.action.TargetClients;
import dev.remediator.store.ClaimedRemediation;

/** The innermost step: runs the action on the target of the rules in force now. */
final class RunAction implements ActionPipeline.Step {
  private final TargetClients actions;

  RunAction(TargetClients actions) {
    this.actions = actions;
  }

  @Override
  public ActionResult run(ClaimedRemediation c) throws InterruptedException {
    return actions.execute(c.action(), c.target(),
        target -> new ActionRequest(c.id(), c.rule(), target, c.params(), c.alert().alert()));
  }
}
