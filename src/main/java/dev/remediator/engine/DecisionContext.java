package dev.remediator.engine;

import dev.remediator.action.Pinning;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.StoredAlert;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What guards see about one (rule, alert) pair: the rule set it came from, the cooldown group,
 * and the rule's parameters rendered from the alert (or why rendering was refused). It holds no
 * connection: guards that count ask a {@link dev.remediator.store.Ledger} instead.
 */
public record DecisionContext(RuleSet ruleSet, Rule rule, StoredAlert alert, String groupKey, Instant now,
                              Map<String, Object> params, String renderFailure) {
  public boolean rendered() {
    return renderFailure == null;
  }

  /**
   * What pinning found for one (action, target, params): the state to record, nothing to pin,
   * or why it could not be read ({@code failure}).
   */
  record Pin(Optional<Map<String, Object>> state, String failure) {
    /** The context with the pinned state in its params, or refused with the failure; empty when nothing changes. */
    Optional<DecisionContext> applyTo(DecisionContext context) {
      if (failure != null) {
        return Optional.of(new DecisionContext(context.ruleSet(), context.rule(), context.alert(), context.groupKey(),
            context.now(), Map.of(), failure));
      }
      return state.map(pinned -> {
        Map<String, Object> params = new LinkedHashMap<>(context.params());
        params.put(Pinning.PARAM, pinned);
        return new DecisionContext(context.ruleSet(), context.rule(), context.alert(), context.groupKey(),
            context.now(), Collections.unmodifiableMap(params), null);
      });
    }
  }
}
