package dev.remediator.engine.guard;

import dev.remediator.engine.DecisionContext;
import dev.remediator.engine.Guard;
import dev.remediator.engine.Verdict;

/** Rules with {@code approval: required} wait for an operator before they act. */
public final class ApprovalGuard implements Guard.OfContext {
  @Override
  public String name() {
    return "approval";
  }

  @Override
  public Verdict check(DecisionContext context) {
    if (context.rule().approvalRequired()) {
      return new Verdict.AwaitApproval("rule " + context.rule().name() + " requires approval");
    }
    return new Verdict.Pass("no approval required");
  }
}
