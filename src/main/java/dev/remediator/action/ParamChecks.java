package dev.remediator.action;

import dev.remediator.rules.ActionSpec.ParamProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

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

  /**
   * The problems as one sentence for a result reason, e.g. {@code argv must be a non-empty list of
   * strings; timeout must be between 1s and 1h, but was 2h}. A message that already starts with
   * its key, such as {@code argv[0] must be ...}, is used as it is.
   */
  public static String summary(List<ParamProblem> problems) {
    return problems.stream()
        .map(problem -> problem.message().startsWith(problem.key()) ? problem.message()
            : problem.key() + " " + problem.message())
        .collect(Collectors.joining("; "));
  }

  /** A value as it should appear after "but was": strings quoted, everything else as printed. */
  public static String describe(Object value) {
    return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
  }
}
