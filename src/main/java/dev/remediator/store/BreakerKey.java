package dev.remediator.store;

import java.util.Objects;

/**
 * Which breaker: the one of an (action, target), shared by every rule that runs that action on
 * that target, or the one a rule's {@code ineffective_after} opens for one of its alert groups.
 */
public record BreakerKey(String action, String target, String rule, String group) {
  public BreakerKey {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(target, "target");
    rule = rule == null ? "" : rule;
    group = group == null ? "" : group;
  }

  /** The breaker of {@code action} on {@code target}. */
  public static BreakerKey of(String action, String target) {
    return new BreakerKey(action, target, "", "");
  }

  /** The breaker of one alert group of {@code rule}, which runs {@code action} on {@code target}. */
  public static BreakerKey ofGroup(String action, String target, String rule, String group) {
    return new BreakerKey(action, target, Objects.requireNonNull(rule, "rule"), Objects.requireNonNull(group, "group"));
  }

  /** True for an alert group's breaker, false for an (action, target) one. */
  public boolean isGroup() {
    return !rule.isEmpty();
  }
}
