package dev.remediator.store;

import java.util.Objects;

/** Which remediation a step is about: its id and the rule, action and target it belongs to. */
public record RemediationRef(long id, String rule, String action, String target) {
  public RemediationRef {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(target, "target");
  }
}
