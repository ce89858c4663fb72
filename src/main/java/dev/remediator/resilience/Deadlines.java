package dev.remediator.resilience;

import dev.remediator.rules.PromDuration;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The total deadline of an action, from one place for the time limit and the lease alike: the
 * rule's {@code with.timeout} where the action takes one, else the target's {@code timeout}, else
 * the default of the target's kind (60s for a command, 30s for every other kind). A target the
 * rules no longer name gets the longest default, so its lease never runs short.
 */
public final class Deadlines {
  public static final Duration COMMAND = Duration.ofSeconds(60);
  public static final Duration OTHER = Duration.ofSeconds(30);

  private final Supplier<RuleSet> rules;

  public Deadlines(Supplier<RuleSet> rules) {
    this.rules = Objects.requireNonNull(rules, "rules");
  }

  /** The deadline of the claimed remediation under the rules in force now. */
  public Duration of(ClaimedRemediation claim) {
    return of(claim.params(), Optional.ofNullable(rules.get().targets().get(claim.target())));
  }

  /** The deadline of an action with rendered {@code params} on {@code target} (empty when unknown). */
  public static Duration of(Map<String, Object> params, Optional<Target> target) {
    Optional<Duration> own = positive(params.get("timeout"));
    if (own.isPresent()) {
      return own.get();
    }
    Optional<Duration> targets = target.flatMap(t -> positive(t.setting("timeout")));
    if (targets.isPresent()) {
      return targets.get();
    }
    return target.map(t -> defaultFor(t.kind())).orElse(COMMAND);
  }

  public static Duration defaultFor(TargetKind kind) {
    return kind == TargetKind.COMMAND ? COMMAND : OTHER;
  }

  /** A positive duration from a validated setting; empty when absent (or, defensively, unreadable). */
  private static Optional<Duration> positive(Object value) {
    if (!(value instanceof String text) || text.isEmpty()) {
      return Optional.empty();
    }
    try {
      Duration limit = PromDuration.parse(text);
      return limit.isZero() || limit.isNegative() ? Optional.empty() : Optional.of(limit);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
