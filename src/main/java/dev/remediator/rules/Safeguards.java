package dev.remediator.rules;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A rule's safety settings beyond cooldown and rate limits:
 * <ul>
 *   <li>{@code breaker}: overrides of the (action, target) breaker's settings for this rule;
 *   <li>{@code ineffectiveAfter}: open the rule's breaker for an alert group when the same alert
 *       keeps firing after this many successful remediations;
 *   <li>{@code guard}: a PromQL expression that must hold before acting;
 *   <li>{@code verify}: how to check afterwards that the action helped;
 *   <li>{@code silenceWhileRemediating}: hold an Alertmanager silence this long at most while acting and verifying;
 *   <li>{@code approvalTtl}: how long an approval may stay pending before it expires and escalates;
 *   <li>{@code onInterrupt}: what to do with it when found running after a crash;
 *   <li>{@code maxFraction}: at most this fraction of one service's instances restarted or scaled down per window;
 *   <li>{@code escalateTo}: the webhook target told about failures, instead of the file's {@code escalate_to}.
 * </ul>
 */
public record Safeguards(BreakerSettings.Override breaker, OptionalInt ineffectiveAfter, Optional<PromCheck> guard,
                         Optional<Verification> verify, Optional<Duration> silenceWhileRemediating,
                         Duration approvalTtl, OnInterrupt onInterrupt, OptionalDouble maxFraction,
                         Optional<String> escalateTo) {
  public static final Duration DEFAULT_APPROVAL_TTL = Duration.ofMinutes(30);
  public static final Safeguards NONE = new Safeguards(BreakerSettings.Override.NONE, OptionalInt.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_APPROVAL_TTL, OnInterrupt.ESCALATE,
      OptionalDouble.empty(), Optional.empty());

  public Safeguards {
    Objects.requireNonNull(breaker, "breaker");
    Objects.requireNonNull(ineffectiveAfter, "ineffectiveAfter");
    Objects.requireNonNull(guard, "guard");
    Objects.requireNonNull(verify, "verify");
    Objects.requireNonNull(silenceWhileRemediating, "silenceWhileRemediating");
    Objects.requireNonNull(approvalTtl, "approvalTtl");
    Objects.requireNonNull(onInterrupt, "onInterrupt");
    Objects.requireNonNull(maxFraction, "maxFraction");
    Objects.requireNonNull(escalateTo, "escalateTo");
  }
}
