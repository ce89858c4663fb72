package dev.remediator.rules;

import dev.remediator.alert.LabelMatcher;
import dev.remediator.alert.Labels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One remediation rule: which alerts it matches, which action it runs on which target, and the
 * limits it runs under. {@code with} holds the raw parameters, strings possibly templated
 * ({@code {{ labels.service }}}); {@code allow} maps a label name (or {@code annotations.NAME})
 * to the fully anchored pattern its templated value must match. An empty {@code groupBy} groups
 * cooldowns by the alert's whole label set. {@code safeguards} holds the rest of its safety
 * settings (breaker, PromQL guard, verification, silence, approval TTL, escalation).
 */
public record Rule(String name, int line, List<LabelMatcher> matchers, String action, String target,
                   Map<String, Object> with, Map<String, Pattern> allow, Optional<Duration> cooldown,
                   List<String> groupBy, Optional<RateLimit> maxActions, boolean dryRun,
                   boolean approvalRequired, Safeguards safeguards) {
  public Rule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(target, "target");
    matchers = List.copyOf(matchers);
    with = with == null ? Map.of() : Map.copyOf(with);
    allow = allow == null ? Map.of() : Map.copyOf(allow);
    cooldown = cooldown == null ? Optional.empty() : cooldown;
    groupBy = groupBy == null ? List.of() : List.copyOf(groupBy);
    maxActions = maxActions == null ? Optional.empty() : maxActions;
    safeguards = safeguards == null ? Safeguards.NONE : safeguards;
  }

  /** A rule with no safeguards beyond cooldown, limits, dry run and approval. */
  public Rule(String name, int line, List<LabelMatcher> matchers, String action, String target,
              Map<String, Object> with, Map<String, Pattern> allow, Optional<Duration> cooldown,
              List<String> groupBy, Optional<RateLimit> maxActions, boolean dryRun, boolean approvalRequired) {
    this(name, line, matchers, action, target, with, allow, cooldown, groupBy, maxActions, dryRun, approvalRequired,
        Safeguards.NONE);
  }

  /** True when every matcher matches, as an Alertmanager route's matchers do. */
  public boolean matches(Labels labels) {
    for (LabelMatcher matcher : matchers) {
      if (!matcher.matches(labels)) {
        return false;
      }
    }
    return true;
  }
}
