package dev.remediator.engine;

import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.StoredAlert;
import java.sql.Connection;
import java.time.Instant;
import java.util.Map;

/**
 * What guards see about one (rule, alert) pair, inside the decider's transaction: the rule set it
 * came from, the cooldown group, and the rule's parameters rendered from the alert (or why
 * rendering was refused).
 */
public record DecisionContext(Connection connection, RuleSet ruleSet, Rule rule, StoredAlert alert,
                              String groupKey, Instant now, Map<String, Object> params, String renderFailure) {
  public boolean rendered() {
    return renderFailure == null;
  }
}
