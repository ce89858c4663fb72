package dev.remediator.engine.guard;

import dev.remediator.engine.DecisionContext;
import dev.remediator.engine.Guard;
import dev.remediator.engine.Verdict;
import dev.remediator.rules.PromDuration;
import dev.remediator.rules.RateLimit;
import dev.remediator.store.Ledger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code max_actions} for the rule and for the whole rules file (the blast radius): at most
 * {@code count} decisions to act in any window of {@code per}, counted in the ledger.
 */
public final class RateLimitGuard implements Guard.OfLedger {
  @Override
  public String name() {
    return "rate_limit";
  }

  @Override
  public Verdict check(DecisionContext context, Ledger ledger) {
    List<String> within = new ArrayList<>();
    Optional<RateLimit> ruleLimit = context.rule().maxActions();
    if (ruleLimit.isPresent()) {
      long used = ledger.countSince(context.rule().name(), context.now().minus(ruleLimit.get().per()),
          ruleLimit.get().count());
      String usage = describe(used, ruleLimit.get());
      if (used >= ruleLimit.get().count()) {
        return new Verdict.Skip("rule max_actions reached: " + usage);
      }
      within.add("rule " + usage);
    }
    Optional<RateLimit> globalLimit = context.ruleSet().maxActions();
    if (globalLimit.isPresent()) {
      long used = ledger.countAllSince(context.now().minus(globalLimit.get().per()), globalLimit.get().count());
      String usage = describe(used, globalLimit.get());
      if (used >= globalLimit.get().count()) {
        return new Verdict.Skip("global max_actions reached: " + usage);
      }
      within.add("global " + usage);
    }
    return new Verdict.Pass(within.isEmpty() ? "no max_actions set" : "within " + String.join(", ", within));
  }

  private static String describe(long used, RateLimit limit) {
    return used + " of " + limit.count() + " actions in the last " + PromDuration.format(limit.per());
  }
}
