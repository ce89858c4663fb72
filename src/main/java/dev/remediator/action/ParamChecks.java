package dev.remediator.action;

import dev.remediator.action.ActionSpec.ParamProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Checks shared by action specs: unknown {@code with} keys and printing a bad value in a message. */
public final class ParamChecks {
  private ParamChecks() {}

  /** One problem per key of {@code with} that is not in {@code known}, in key order. */
  public static List<ParamProblem> unknownKeys(String action, Map<String, Object> with, List<String> known) {
    List<ParamProblem> problems = new ArrayList<>();
    for (String key : new TreeSet<>(with.keySet())) {
      if (!known.contains(key)) {
        problems.add(new ParamProblem(key,
            "is not a parameter of " + action + " (known: " + String.join(", ", known) + ")"));
      }
    }
    return problems;
  }

  /** A value as it should appear after "but was": strings quoted, everything else as printed. */
  public static String describe(Object value) {
    return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
  }
}
