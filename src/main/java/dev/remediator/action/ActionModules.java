package dev.remediator.action;

import dev.remediator.rules.ActionSpec;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Checks a list of action modules and derives the specs by action name that rules files are validated against. */
public final class ActionModules {
  private ActionModules() {}

  /**
   * The specs of {@code modules}, keyed and ordered by action name. Modules of one name (one per
   * target kind) must share one spec that lists each of their kinds; one (name, kind) is served
   * by one module only.
   */
  public static Map<String, ActionSpec> specs(List<? extends ActionModule> modules) {
    Objects.requireNonNull(modules, "modules");
    TreeMap<String, ActionSpec> byName = new TreeMap<>();
    TreeMap<String, ActionModule> byKey = new TreeMap<>();
    for (ActionModule module : modules) {
      ActionSpec spec = module.spec();
      String key = spec.name() + " on " + module.targetKind().wireName();
      ActionModule previous = byKey.putIfAbsent(key, module);
      if (previous != null) {
        throw new IllegalArgumentException("action " + key + " is served twice: by " + previous.getClass().getName()
            + " and " + module.getClass().getName());
      }
      if (!spec.targetKinds().contains(module.targetKind())) {
        throw new IllegalArgumentException("module " + module.getClass().getName() + " serves target kind "
            + module.targetKind().wireName() + ", which its spec " + spec.name() + " does not list");
      }
      ActionSpec known = byName.putIfAbsent(spec.name(), spec);
      if (known != null && !known.getClass().equals(spec.getClass())) {
        throw new IllegalArgumentException("action name " + spec.name() + " has two specs: "
            + known.getClass().getName() + " and " + spec.getClass().getName());
      }
    }
    return Collections.unmodifiableMap(byName);
  }
}
