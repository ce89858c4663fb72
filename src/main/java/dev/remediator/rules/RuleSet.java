package dev.remediator.rules;

import dev.remediator.alert.Labels;
import dev.remediator.target.Target;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded, validated rules file. {@code dryRun} and {@code maxActions} are the file's global
 * settings; {@code escalateTo} names the webhook target that hears about failures;
 * {@code targetBreakers} holds each target's {@code breaker} overrides by target name.
 */
public record RuleSet(String source, boolean dryRun, Optional<RateLimit> maxActions,
                      Map<String, Target> targets, List<Rule> rules, Optional<String> escalateTo,
                      Map<String, BreakerSettings.Override> targetBreakers) {
  public RuleSet {
    Objects.requireNonNull(source, "source");
    maxActions = maxActions == null ? Optional.empty() : maxActions;
    targets = Map.copyOf(targets);
    rules = List.copyOf(rules);
    escalateTo = escalateTo == null ? Optional.empty() : escalateTo;
    targetBreakers = targetBreakers == null ? Map.of() : Map.copyOf(targetBreakers);
  }

  /** A rule set whose targets all run under the default breaker settings. */
  public RuleSet(String source, boolean dryRun, Optional<RateLimit> maxActions, Map<String, Target> targets,
                 List<Rule> rules, Optional<String> escalateTo) {
    this(source, dryRun, maxActions, targets, rules, escalateTo, Map.of());
  }

  public static RuleSet empty(String source) {
    return new RuleSet(source, false, Optional.empty(), Map.of(), List.of(), Optional.empty());
  }

  /** The rules whose matchers all match, in file order. */
  public List<Rule> matching(Labels labels) {
    return rules.stream().filter(rule -> rule.matches(labels)).toList();
  }

  /** The rule named {@code name}, if it is loaded. */
  public Optional<Rule> rule(String name) {
    return rules.stream().filter(rule -> rule.name().equals(name)).findFirst();
  }

  /** The breaker settings of {@code target}: its own overrides over {@link BreakerSettings#DEFAULT}. */
  public BreakerSettings breaker(String target) {
    return targetBreakers.getOrDefault(target, BreakerSettings.Override.NONE).over(BreakerSettings.DEFAULT);
  }

  /** The breaker settings {@code rule} runs under: the rule's overrides over its target's over the default. */
  public BreakerSettings breaker(Rule rule) {
    return rule.safeguards().breaker().over(breaker(rule.target()));
  }

  public Target target(String name) {
    Target target = targets.get(name);
    if (target == null) {
      throw new IllegalStateException("rule set " + source + " has no target named " + name);
    }
    return target;
  }
}
