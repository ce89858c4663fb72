package dev.remediator.engine;

import dev.remediator.rules.ActionSpec;
import dev.remediator.rules.ParamRenderer;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.TemplateException;
import dev.remediator.store.StoredAlert;
import java.time.Instant;
import java.util.Map;

/**
 * Builds what the guards see about one (rule, alert): its cooldown group and the rule's
 * parameters rendered from the alert, strictly or not as the action asks, or why rendering was
 * refused. One place, so deciding, replaying and simulating render exactly alike.
 */
public final class DecisionContexts {
  private final Map<String, ActionSpec> actionSpecs;
  private final ParamRenderer renderer;

  public DecisionContexts(Map<String, ActionSpec> actionSpecs, ParamRenderer renderer) {
    this.actionSpecs = Map.copyOf(actionSpecs);
    this.renderer = renderer;
  }

  public DecisionContext of(RuleSet ruleSet, Rule rule, StoredAlert stored, Instant now) {
    ActionSpec spec = actionSpecs.get(rule.action());
    boolean strict = spec == null || spec.strictTemplates();
    String groupKey = GroupKey.of(rule, stored.alert());
    Map<String, Object> params;
    try {
      params = renderer.render(rule, stored.alert(), strict);
    } catch (TemplateException e) {
      return new DecisionContext(ruleSet, rule, stored, groupKey, now, Map.of(), e.getMessage());
    }
    return new DecisionContext(ruleSet, rule, stored, groupKey, now, params, null);
  }
}
