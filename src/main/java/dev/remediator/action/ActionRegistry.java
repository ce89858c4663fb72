package dev.remediator.action;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** The runnable actions of a running server, by name; built once in the composition root. */
public final class ActionRegistry {
  private final Map<String, Action> actions;
  private final Map<String, ActionSpec> specs;

  public ActionRegistry(List<? extends Action> actions) {
    Objects.requireNonNull(actions, "actions");
    TreeMap<String, Action> byName = new TreeMap<>();
    for (Action action : actions) {
      Objects.requireNonNull(action, "action");
      Action previous = byName.putIfAbsent(action.spec().name(), action);
      if (previous != null) {
        throw new IllegalArgumentException("action name " + action.spec().name() + " is used twice: by "
            + previous.getClass().getName() + " and " + action.getClass().getName());
      }
    }
    this.specs = ActionCatalog.byName(byName.values().stream().map(Action::spec).toList());
    this.actions = Collections.unmodifiableMap(byName);
  }

  public Optional<Action> find(String name) {
    return Optional.ofNullable(actions.get(name));
  }

  /** The specs of the registered actions, keyed and ordered by name; unmodifiable. */
  public Map<String, ActionSpec> specs() {
    return specs;
  }
}
