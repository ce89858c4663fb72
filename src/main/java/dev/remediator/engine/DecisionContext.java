package dev.remediator.engine;

import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.StoredAlert;
import java.time.Instant;
import java.util.Map;

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
}
