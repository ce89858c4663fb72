package dev.remediator.engine;

import dev.remediator.store.RemediationRef;
import dev.remediator.store.RemediationState;
import dev.remediator.store.StoredAlert;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a replay did (or, in a dry run, would do) for one alert and one rule: {@code rule} is null
 * when the outcome is about the alert as a whole (unmatched, nothing to cancel, failed). A
 * decision names its remediation, state, deciding guard, every guard's verdict and the rendered
 * parameters; {@code replayOf} names the remediation a forced replay decided again.
 */
public record ReplayOutcome(StoredAlert alert, String rule, String outcome, RemediationState state, Long remediationId,
                            Long replayOf, String guard, String reason, List<GuardChain.Decision.Step> steps,
                            Map<String, Object> params) {
  public static final String QUEUED = "queued";
  public static final String ALREADY_RAN = "already_ran";
  public static final String CANCELLED = "cancelled";
  public static final String NOTHING_TO_CANCEL = "nothing_to_cancel";
  public static final String UNMATCHED = "unmatched";
  public static final String FAILED = "failed";

  public ReplayOutcome {
    Objects.requireNonNull(alert, "alert");
    Objects.requireNonNull(outcome, "outcome");
    steps = steps == null ? List.of() : List.copyOf(steps);
    params = params == null ? Map.of() : params;
  }

  /** The outcome word of a decision in {@code state}: {@code queued} for pending, else the state's own name. */
  public static String outcomeOf(RemediationState state) {
    return state == RemediationState.PENDING ? QUEUED : state.wireName();
  }

  static ReplayOutcome ofAlert(StoredAlert alert, String outcome, String reason) {
    return new ReplayOutcome(alert, null, outcome, null, null, null, null, reason, List.of(), Map.of());
  }

  static ReplayOutcome decided(StoredAlert alert, String rule, Decider.Recorded recorded, Long replayOf) {
    return new ReplayOutcome(alert, rule, outcomeOf(recorded.state()), recorded.state(), recorded.id(), replayOf,
        recorded.guard(), recorded.reason(), recorded.steps(), recorded.params());
  }

  static ReplayOutcome cancelled(StoredAlert alert, RemediationRef cancelled) {
    return new ReplayOutcome(alert, cancelled.rule(), CANCELLED, RemediationState.CANCELLED, cancelled.id(), null,
        null, "alert resolved before the action started", List.of(), Map.of());
  }
}
