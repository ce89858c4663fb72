package dev.remediator.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds {@code REMEDIATOR_*} variables the server does not read, so that a misspelt name (or a
 * {@code _FILE} form of a variable that takes none) is reported at start instead of silently
 * falling back to a default.
 */
public final class EnvironmentCheck {
  private static final String PREFIX = "REMEDIATOR_";

  private EnvironmentCheck() {}

  /** One warning per unknown variable, sorted by name, with the closest known name if any. */
  public static List<String> unknownVariables(Map<String, String> env, Set<String> known) {
    List<String> lowerKnown = known.stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
    List<String> warnings = new ArrayList<>();
    for (String name : new TreeSet<>(env.keySet())) {
      if (!name.startsWith(PREFIX) || known.contains(name)) {
        continue;
      }
      String warning = "unknown environment variable " + name + " is ignored";
      warnings.add(Suggestion.closest(name, lowerKnown)
          .map(match -> warning + "; did you mean " + match.toUpperCase(Locale.ROOT) + "?")
          .orElse(warning));
    }
    return warnings;
  }
}
