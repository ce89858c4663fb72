package dev.remediator.engine;

import dev.remediator.alert.Alert;
import dev.remediator.alert.Labels;
import dev.remediator.rules.Rule;
import java.util.stream.Collectors;

/**
 * The cooldown group of an alert under a rule: the values of the rule's {@code group_by} labels,
 * or the alert's fingerprint (its whole label set) when the rule groups by nothing.
 */
final class GroupKey {
  private GroupKey() {}

  static String of(Rule rule, Alert alert) {
    if (rule.groupBy().isEmpty()) {
      return alert.fingerprint();
    }
    return rule.groupBy().stream()
        .map(name -> name + "=" + Labels.quote(alert.labels().get(name)))
        .collect(Collectors.joining(",", "{", "}"));
  }
}
