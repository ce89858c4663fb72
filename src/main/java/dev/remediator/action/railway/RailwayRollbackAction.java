package dev.remediator.action.railway;

import dev.remediator.action.Action;
import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.action.ParamChecks;
import dev.remediator.action.Pinning;
import dev.remediator.rules.ActionSpec;
import dev.remediator.rules.ActionSpec.ParamProblem;
import dev.remediator.target.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code rollback} on Railway, what {@code railway rollback} does by hand: when the remediation is
 * decided, pins the service's latest deployment and the one to go back to ({@link RollbackChoice});
 * when it runs, rolls back with {@code deploymentRollback} only if the latest deployment is still
 * the pinned one. Once anything has deployed or rolled back since, including an earlier run of
 * this same rollback, it refuses rather than undo what happened. Facts: from and to deployments.
 */
public final class RailwayRollbackAction implements Action, Pinning {
  /** How many of the newest deployments are searched for one to roll back to. */
  static final int HISTORY = 20;

  private final RailwaySpec spec;
  private final RailwayDeployments deployments;

  RailwayRollbackAction(RailwaySpec spec, RailwayDeployments deployments) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.deployments = Objects.requireNonNull(deployments, "deployments");
  }

  @Override
  public ActionSpec spec() {
    return spec;
  }

  @Override
  public Map<String, Object> pin(Target target, Map<String, Object> params) throws PinException, InterruptedException {
    List<ParamProblem> problems = spec.validate(params);
    if (!problems.isEmpty()) {
      throw new PinException("invalid parameters: " + ParamChecks.summary(problems));
    }
    ServiceRef ref = RailwaySpec.service(params);
    List<Deployment> history;
    try {
      history = deployments.newest(ref, HISTORY);
    } catch (RailwayException e) {
      throw new PinException(e.getMessage(), e);
    }
    RollbackChoice.Choice choice = RollbackChoice.choose(ref, history);
    Map<String, Object> pin = new LinkedHashMap<>();
    pin.put("from_deployment", choice.from().id());
    pin.put("from_status", choice.from().status());
    pin.put("to_deployment", choice.to().id());
    pin.put("to_status", choice.to().status());
    pin.put("to_created_at", choice.to().createdAt().toString());
    return pin;
  }

  @Override
  public ActionResult execute(ActionRequest request) throws InterruptedException {
    Map<String, Object> params = new LinkedHashMap<>(request.params());
    Object pinned = params.remove(PARAM);
    List<ParamProblem> problems = spec.validate(params);
    if (!problems.isEmpty()) {
      return new ActionResult.Permanent("invalid parameters: " + ParamChecks.summary(problems), null);
    }
    ServiceRef ref = RailwaySpec.service(params);
    if (!(pinned instanceof Map<?, ?> pin) || !(pin.get("from_deployment") instanceof String from)
        || !(pin.get("to_deployment") instanceof String to)) {
      return new ActionResult.Permanent("rollback of " + ref + " has no pinned from_deployment and to_deployment;"
          + " it acts only from the state pinned when it was decided", null);
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("from_deployment", from);
    facts.put("to_deployment", to);
    try {
      List<Deployment> latest = deployments.newest(ref, 1);
      if (latest.isEmpty()) {
        return new ActionResult.Permanent(ref + " no longer lists any deployment; not rolling back", null, facts);
      }
      Deployment current = latest.get(0);
      if (!current.id().equals(from)) {
        facts.put("latest_deployment", current.id());
        facts.put("latest_status", current.status());
        return new ActionResult.Permanent("not rolling back " + ref + ": its latest deployment is now "
            + current.id() + " (" + current.status() + "), not " + from + " as pinned when the rollback was"
            + " decided; it has been deployed or rolled back since", null, facts);
      }
      facts.put("from_status", current.status());
      if (!deployments.rollback(to)) {
        return new ActionResult.Permanent("Railway answered that it did not roll " + ref + " back to deployment "
            + to, null, facts);
      }
      return new ActionResult.Succeeded("rolled back " + ref + " from deployment " + from + " (" + current.status()
          + ") to deployment " + to, facts);
    } catch (RailwayException e) {
      return e.result(facts);
    }
  }
}
