package dev.remediator.action.http;

import dev.remediator.action.Action;
import dev.remediator.action.ActionModule;
import dev.remediator.action.SharedClients;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;

/** {@code restart} on an {@code http} target: the platform's own restart call, as a request under the target's base_url. */
public final class HttpRestartModule implements ActionModule {
  private static final HttpRequestSpec SPEC = new HttpRequestSpec("restart");

  @Override
  public ActionSpec spec() {
    return SPEC;
  }

  @Override
  public TargetKind targetKind() {
    return TargetKind.HTTP;
  }

  @Override
  public Action open(Target target, SharedClients shared) {
    return new HttpRequestAction(SPEC, shared.http(), shared.json());
  }
}
