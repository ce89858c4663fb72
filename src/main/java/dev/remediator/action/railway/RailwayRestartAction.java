package dev.remediator.action.railway;

import dev.remediator.action.Action;
import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.action.ParamChecks;
import dev.remediator.rules.ActionSpec;
import dev.remediator.rules.ActionSpec.ParamProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code restart} on Railway, what {@code railway restart} does by hand: finds the service's
 * latest deployment and restarts it with {@code deploymentRestart}. Facts: the deployment and
 * its status before the restart.
 */
public final class RailwayRestartAction implements Action {
  private final RailwaySpec spec;
  private final RailwayDeployments deployments;

  RailwayRestartAction(RailwaySpec spec, RailwayDeployments deployments) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.deployments = Objects.requireNonNull(deployments, "deployments");
  }

  @Override
  public ActionSpec spec() {
    return spec;
  }

  @Override
  public ActionResult execute(ActionRequest request) throws InterruptedException {
    List<ParamProblem> problems = spec.validate(request.params());
    if (!problems.isEmpty()) {
      return new ActionResult.Permanent("invalid parameters: " + ParamChecks.summary(problems), null);
    }
    ServiceRef ref = RailwaySpec.service(request.params());
    Map<String, Object> facts = new LinkedHashMap<>();
    try {
      List<Deployment> latest = deployments.newest(ref, 1);
      if (latest.isEmpty()) {
        return new ActionResult.Permanent(ref + " has no deployment to restart (target "
            + deployments.targetName() + ")", null);
      }
      Deployment deployment = latest.get(0);
      facts.put("deployment", deployment.id());
      facts.put("status_before", deployment.status());
      if (!deployments.restart(deployment.id())) {
        return new ActionResult.Permanent("Railway answered that it did not restart deployment " + deployment.id()
            + " of " + ref, null, facts);
      }
      return new ActionResult.Succeeded("restarted deployment " + deployment.id() + " of " + ref
          + " (it was " + deployment.status() + ")", facts);
    } catch (RailwayException e) {
      return e.result(facts);
    }
  }
}
