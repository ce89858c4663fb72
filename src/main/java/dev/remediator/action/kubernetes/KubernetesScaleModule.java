package dev.remediator.action.kubernetes;

import dev.remediator.action.Action;
import dev.remediator.action.ActionModule;
import dev.remediator.action.SharedClients;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.time.Clock;

/**
 * {@code scale} on a {@code kubernetes} target: one step of a Deployment's or StatefulSet's
 * replicas. Each target gets its own client, closed with the action when a reload
 * replaces it.
 */
public final class KubernetesScaleModule implements ActionModule {
  private static final KubernetesScaleSpec SPEC = new KubernetesScaleSpec();

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
    return new KubernetesScaleAction(ClusterConnection.open(target, shared.http()), shared.json(), Clock.systemUTC());
  }
}
