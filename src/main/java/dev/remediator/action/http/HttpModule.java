package dev.remediator.action.http;

import dev.remediator.action.Action;
import dev.remediator.action.ActionModule;
import dev.remediator.action.SharedClients;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;

/** {@code http} on an {@code http} target: a templated request under the target's base_url. */
public final class HttpModule implements ActionModule {
  private static final HttpRequestSpec SPEC = new HttpRequestSpec("http");

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
