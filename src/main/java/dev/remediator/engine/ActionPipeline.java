package dev.remediator.engine;

import dev.remediator.action.ActionResult;
import dev.remediator.store.ClaimedRemediation;
import java.util.List;
import java.util.Objects;

/**
 * Runs one claimed remediation through a chain of decorators around its action, each with one
 * job (still firing, time limit; pause, breaker and bulkhead plug in the same way). The chain is
 * a list, outermost first, so its order is read in one place. Whatever happens inside, the
 * pipeline answers with a result: an exception or a missing result becomes a permanent failure.
 */
public final class ActionPipeline {
  /** One step of the chain: the action itself, or a decorator with the rest of the chain inside it. */
  @FunctionalInterface
  public interface Step {
    ActionResult run(ClaimedRemediation claim) throws InterruptedException;
  }

  /** Wraps the rest of the chain: may answer without calling {@code next}, or change its result. */
  @FunctionalInterface
  public interface Decorator {
    ActionResult around(ClaimedRemediation claim, Step next) throws InterruptedException;
  }

  private final Step chain;

  public ActionPipeline(List<? extends Decorator> decorators, Step action) {
    Objects.requireNonNull(action, "action");
    Step step = action;
    for (int i = decorators.size() - 1; i >= 0; i--) {
      Decorator decorator = Objects.requireNonNull(decorators.get(i), "decorator");
      Step next = step;
      step = claim -> decorator.around(claim, next);
    }
    this.chain = step;
  }

  public ActionResult run(ClaimedRemediation claim) throws InterruptedException {
    ActionResult result;
    try {
      result = chain.run(claim);
    } catch (RuntimeException e) {
      return new ActionResult.Permanent("action failed unexpectedly: " + e, e);
    }
    return result == null ? new ActionResult.Permanent("action " + claim.action() + " returned no result", null)
        : result;
  }
}
