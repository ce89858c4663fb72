package dev.remediator.engine.guard;

import dev.remediator.engine.DecisionContext;
import dev.remediator.engine.Guard;
import dev.remediator.engine.Verdict;

/**
 * Templated values from hostile alert labels must match the rule's {@code allow} patterns (and,
 * for actions that reach a process or a resource name, must not start with {@code -}). The
 * rendering itself happens once per decision; this guard reports its verdict in chain order.
 */
public final class AllowlistGuard implements Guard.OfContext {
  @Override
  public String name() {
    return "allowlist";
  }

  @Override
  public Verdict check(DecisionContext context) {
    if (!context.rendered()) {
      return new Verdict.Skip(context.renderFailure());
    }
    return new Verdict.Pass(context.rule().allow().isEmpty()
        ? "no templated values need allowing"
        : "templated values match " + context.rule().allow().keySet().stream().sorted().toList());
  }
}
