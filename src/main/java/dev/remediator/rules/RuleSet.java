package dev.remediator.rules;

import dev.remediator.alert.Labels;
import dev.remediator.target.Target;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded, validated rules file. {@code dryRun} and {@code maxActions} are the file's global
 * settings; {@code escalateTo} names the webhook target that hears about failures.
 */
public record RuleSet(String source, boolean dryRun, Optional<RateLimit> maxActions,
                      Map<String, Target> targets, List<Rule> rules, Optional<String> escalateTo) {
  public RuleSet {
    Objects.requireNonNull(source, "source");
    maxActions = maxActions == null ? Optional.empty() : maxActions;
    targets = Map.copyOf(targets);
    rules = List.copyOf(rules);
    escalateTo = escalateTo == null ? Optional.empty() : escalateTo;
  }

  public static RuleSet empty(String source) {
    return new RuleSet(source, false, Optional.empty(), Map.of(), List.of(), Optional.empty());
  }

  /** The rules whose matchers all match, in file order. */
  public List<Rule> matching(Labels labels) {
    return rules.stream().filter(rule -> rule.matches(labels)).toList();
  }

  public Target target(String name) {
    Target target = targets.get(name);
    if (target == null) {
      throw new IllegalStateException("rule set " + source + " has no target named " + name);
    }
    return target;
  }
}
