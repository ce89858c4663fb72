package dev.remediator.action;

import dev.remediator.rules.ActionSpec;
import dev.remediator.target.TargetKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/** Checks a list of action modules and derives the specs by action name that rules files are validated against. */
public final class ActionModules {
  private ActionModules() {}

  /**
   * The specs of {@code modules}, keyed and ordered by action name. One (name, kind) is served by
   * one module only. Modules of one name that share a spec (one class for every kind, as
   * {@code command}) keep it; modules with a spec each (restart on kubernetes and on railway take
   * different parameters) are joined into one spec that lists every kind and validates a rule's
   * {@code with} with the spec of its target's kind.
   */
  public static Map<String, ActionSpec> specs(List<? extends ActionModule> modules) {
    Objects.requireNonNull(modules, "modules");
    TreeMap<String, Map<TargetKind, ActionSpec>> byName = new TreeMap<>();
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
      byName.computeIfAbsent(spec.name(), name -> new EnumMap<>(TargetKind.class)).put(module.targetKind(), spec);
    }
    TreeMap<String, ActionSpec> specs = new TreeMap<>();
    byName.forEach((name, byKind) -> {
      Set<ActionSpec> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
      distinct.addAll(byKind.values());
      specs.put(name, distinct.size() == 1 ? distinct.iterator().next() : new PerKind(name, byKind));
    });
    return Collections.unmodifiableMap(specs);
  }

  /** One action name served by modules with a spec each: validation goes to the target kind's spec. */
  private record PerKind(String name, Map<TargetKind, ActionSpec> byKind) implements ActionSpec {
    @Override
    public Set<TargetKind> targetKinds() {
      return Collections.unmodifiableSet(byKind.keySet());
    }

    /** Without a target kind, only what every kind agrees on can be checked: nothing. */
    @Override
    public List<ParamProblem> validate(Map<String, Object> with) {
      return List.of();
    }

    @Override
    public List<ParamProblem> validate(TargetKind kind, Map<String, Object> with) {
      ActionSpec spec = byKind.get(kind);
      return spec == null ? List.of() : spec.validate(kind, with);
    }

    /** Strict if any kind's spec is: a template that is safe for one kind must be safe for all. */
    @Override
    public boolean strictTemplates() {
      return byKind.values().stream().anyMatch(ActionSpec::strictTemplates);
    }
  }
}
