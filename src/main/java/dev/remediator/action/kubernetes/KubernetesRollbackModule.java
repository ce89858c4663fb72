package dev.remediator.action.kubernetes;

import dev.remediator.action.Action;
import dev.remediator.action.ActionModule;
import dev.remediator.action.SharedClients;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.time.Clock;

/**
 * {@code rollback} on a {@code kubernetes} target: a Deployment back to its previous
 * revision. Each target gets its own client, closed with the action when a reload
 * replaces it.
 */
public final class KubernetesRollbackModule implements ActionModule {
  private static final KubernetesRollbackSpec SPEC = new KubernetesRollbackSpec();

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
    return new KubernetesRollbackAction(ClusterConnection.open(target, shared.http()), shared.json(), Clock.systemUTC());
  }
}
