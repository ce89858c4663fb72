package dev.remediator.action;

import dev.remediator.action.command.CommandSpec;
import dev.remediator.action.notify.NotifySpec;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The specs of the built-in action types by name. Needs no network, database or client, so the
 * offline {@code check} command validates rules files against it.
 */
public final class ActionCatalog {
  private static final Map<String, ActionSpec> SPECS = byName(List.of(new CommandSpec(), new NotifySpec()));

  private ActionCatalog() {}

  /** The built-in specs, keyed and ordered by action name; unmodifiable. */
  public static Map<String, ActionSpec> specs() {
    return SPECS;
  }

  public static Optional<ActionSpec> find(String name) {
    return Optional.ofNullable(SPECS.get(name));
  }

  /** Keys specs by name; throws when two share a name. */
  static Map<String, ActionSpec> byName(List<ActionSpec> specs) {
    TreeMap<String, ActionSpec> byName = new TreeMap<>();
    for (ActionSpec spec : specs) {
      ActionSpec previous = byName.putIfAbsent(spec.name(), spec);
      if (previous != null) {
        throw new IllegalArgumentException("action name " + spec.name() + " is used twice: by "
            + previous.getClass().getName() + " and " + spec.getClass().getName());
      }
    }
    return Collections.unmodifiableMap(byName);
  }
}
