package dev.remediator.action.kubernetes;

import dev.remediator.action.Action;
import dev.remediator.action.ActionModule;
import dev.remediator.action.SharedClients;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.time.Clock;

/**
 * {@code restart} on a {@code kubernetes} target: a rollout restart of a Deployment or
 * StatefulSet. Each target gets its own client, closed with the action when a reload
 * replaces it.
 */
public final class KubernetesRestartModule implements ActionModule {
  private static final KubernetesRestartSpec SPEC = new KubernetesRestartSpec();

  @Override
  public ActionSpec spec() {
    return SPEC;
  }

  @Override
  public TargetKind targetKind() {
    return TargetKind.KUBERNETES;
  }

  @Override
  public Action open(Target target, SharedClients shared) {
    return new KubernetesRestartAction(ClusterConnection.open(target, shared.http()), shared.json(), Clock.systemUTC(),
        Sleeper.THREAD);
  }
}
