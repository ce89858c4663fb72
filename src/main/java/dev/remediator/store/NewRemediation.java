package dev.remediator.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A decision about to be stored. {@code counts} says whether it uses up cooldown and rate-limit
 * budget (it will, or may, act, or in a dry run would have); {@code budget} says whose: live
 * decisions and dry-run ones never share a budget. {@code groupKey} identifies the cooldown group.
 * {@code expiresAt} is when an approval it awaits expires; null unless it awaits approval.
 */
public record NewRemediation(String rule, StoredAlert alert, String action, String target, String groupKey,
                             RemediationState state, String reason, Map<String, Object> params, boolean counts,
                             Instant decidedAt, Ledger.Budget budget, Instant expiresAt) {
  public NewRemediation {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(alert, "alert");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(decidedAt, "decidedAt");
    Objects.requireNonNull(budget, "budget");
    params = params == null ? Map.of() : params;
    reason = reason == null ? "" : reason;
    if ((state == RemediationState.AWAITING_APPROVAL) != (expiresAt != null)) {
      throw new IllegalArgumentException("expiresAt must be set exactly when the state is awaiting_approval, but "
          + "state was " + state.wireName() + " and expiresAt " + expiresAt);
    }
  }

  /** A decision that awaits no approval. */
  public NewRemediation(String rule, StoredAlert alert, String action, String target, String groupKey,
                        RemediationState state, String reason, Map<String, Object> params, boolean counts,
                        Instant decidedAt, Ledger.Budget budget) {
    this(rule, alert, action, target, groupKey, state, reason, params, counts, decidedAt, budget, null);
  }

  /** A live decision. */
  public NewRemediation(String rule, StoredAlert alert, String action, String target, String groupKey,
                        RemediationState state, String reason, Map<String, Object> params, boolean counts,
                        Instant decidedAt) {
    this(rule, alert, action, target, groupKey, state, reason, params, counts, decidedAt, Ledger.Budget.LIVE);
  }
}
