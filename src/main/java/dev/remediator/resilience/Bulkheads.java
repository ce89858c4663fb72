package dev.remediator.resilience;

import dev.remediator.rules.RuleSet;
import dev.remediator.target.Target;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * How many actions may run on a target at once, across every replica: the target's
 * {@code concurrency} setting, 1 by default, so two restarts of one cluster never overlap unless
 * the rules say so. The claim query holds back work past it; the work stays pending and runs when
 * the target frees up, without using an attempt.
 */
public final class Bulkheads implements ToIntFunction<String> {
  public static final int DEFAULT_CONCURRENCY = 1;

  private final Supplier<RuleSet> rules;

  public Bulkheads(Supplier<RuleSet> rules) {
    this.rules = Objects.requireNonNull(rules, "rules");
  }

  /** The limit of the target named {@code target} under the rules in force now. */
  @Override
  public int applyAsInt(String target) {
    Target known = rules.get().targets().get(target);
    return known == null ? DEFAULT_CONCURRENCY : concurrency(known);
  }

  public static int concurrency(Target target) {
    String text = target.setting("concurrency");
    if (text.isEmpty()) {
      return DEFAULT_CONCURRENCY;
    }
    try {
      return Math.max(1, Integer.parseInt(text));
    } catch (NumberFormatException e) {
      return DEFAULT_CONCURRENCY;   // validated when the rules were loaded
    }
  }
}
