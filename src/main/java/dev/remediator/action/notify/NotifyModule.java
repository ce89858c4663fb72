package dev.remediator.action.notify;

import dev.remediator.action.Action;
import dev.remediator.action.ActionModule;
import dev.remediator.action.SharedClients;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;

/** {@code notify} on a {@code webhook} target, with an HTTP client derived for that target. */
public final class NotifyModule implements ActionModule {
  private static final NotifySpec SPEC = new NotifySpec();

  @Override
  public ActionSpec spec() {
    return SPEC;
  }

  @Override
  public TargetKind targetKind() {
    return TargetKind.WEBHOOK;
  }

  @Override
  public Action open(Target target, SharedClients shared) {
    return new NotifyAction(shared.http(), shared.json());
  }
}
