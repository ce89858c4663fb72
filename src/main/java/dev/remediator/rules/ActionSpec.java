package dev.remediator.rules;

import dev.remediator.target.TargetKind;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the rules file may say about one action type: its name, the target kinds it serves, and
 * how its {@code with} parameters are checked. Known offline, so {@code check} needs no network.
 */
public interface ActionSpec {
  String name();

  Set<TargetKind> targetKinds();

  /** Problems with the rule's {@code with} block; each names the parameter key it is about. */
  List<ParamProblem> validate(Map<String, Object> with);

  /**
   * Problems with the rule's {@code with} block for an action on a target of {@code kind}: an
   * action served on several kinds (restart on kubernetes or railway) takes different parameters
   * on each. By default the same as {@link #validate(Map)}.
   */
  default List<ParamProblem> validate(TargetKind kind, Map<String, Object> with) {
    return validate(with);
  }

  /**
   * Whether every templated value must be covered by an {@code allow} pattern and may not start
   * with {@code -}: true for anything that reaches a process, a query or a resource name.
   */
  boolean strictTemplates();

  /** One problem with a {@code with} parameter; {@code key} is empty for the block as a whole. */
  record ParamProblem(String key, String message) {}
}
