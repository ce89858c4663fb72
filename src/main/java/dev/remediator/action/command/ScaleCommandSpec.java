package dev.remediator.action.command;

import dev.remediator.action.ParamChecks;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.TargetKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules-file contract of {@code scale} on a {@code command} target:
 * <ul>
 *   <li>{@code argv}: the command that sets the replica count, with {@value #PLACEHOLDER} where the
 *       new count goes, e.g. {@code [docker, compose, up, -d, --scale, "worker={replicas}"]}. The
 *       action fills it in itself; single braces are not a template, so rule loading leaves it be.
 *   <li>{@code current} (the replica count now, usually {@code "{{ annotations.current_replicas }}"})
 *       or {@code query} (an argv list whose stdout is the count now): exactly one.
 *   <li>{@code factor} (a number above 0 other than 1: new = ceil(current x factor)) or
 *       {@code step} (a non-zero whole number: new = current + step): exactly one.
 *   <li>{@code max_replicas} (required, 1 to 10000) and {@code min_replicas} (0 to 10000,
 *       default 1, at most max_replicas): the new count is kept within them.
 *   <li>{@code timeout}: for the query and the command together, 1s to 1h, default 60s.
 * </ul>
 */
public final class ScaleCommandSpec implements ActionSpec {
  public static final String NAME = "scale";
  /** Where the new replica count goes in {@code argv}. */
  public static final String PLACEHOLDER = "{replicas}";
  static final int DEFAULT_MIN_REPLICAS = 1;
  static final int LIMIT = 10_000;
  private static final List<String> KEYS = List.of("argv", "current", "query", "factor", "step", "min_replicas",
      "max_replicas", "timeout");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<TargetKind> targetKinds() {
    return Set.of(TargetKind.COMMAND);
  }

  @Override
  public boolean strictTemplates() {
    return true;
  }

  @Override
  public List<ParamProblem> validate(Map<String, Object> with) {
    return validate(with, false);
  }

  /**
   * Problems with parameters already rendered from an alert: a templated {@code current} is a
   * plain string by then, whose number the action checks itself, with a message about the alert.
   */
  List<ParamProblem> validateRendered(Map<String, Object> params) {
    return validate(params, true);
  }

  private List<ParamProblem> validate(Map<String, Object> with, boolean rendered) {
    List<ParamProblem> problems = new ArrayList<>(ParamChecks.unknownKeys(NAME, with, KEYS));
    problems.addAll(argvProblems(with.get("argv")));
    problems.addAll(sourceProblems(with, rendered));
    problems.addAll(changeProblems(with));
    problems.addAll(boundsProblems(with));
    problems.addAll(CommandSpec.timeoutProblems(with));
    return problems;
  }

  private static List<ParamProblem> argvProblems(Object argv) {
    List<ParamProblem> problems = new ArrayList<>(CommandSpec.argvProblems("argv", argv));
    if (problems.isEmpty()) {
      List<String> strings = CommandSpec.strings(argv);
      if (strings.get(0).contains(PLACEHOLDER)) {
        problems.add(new ParamProblem("argv", "argv[0] must be a literal program, not " + PLACEHOLDER));
      } else if (strings.stream().noneMatch(arg -> arg.contains(PLACEHOLDER))) {
        problems.add(new ParamProblem("argv", "must contain " + PLACEHOLDER
            + " where the new replica count goes, e.g. \"worker=" + PLACEHOLDER + "\""));
      }
    }
    return problems;
  }

  private static List<ParamProblem> sourceProblems(Map<String, Object> with, boolean rendered) {
    Object current = with.get("current");
    Object query = with.get("query");
    if (current != null && query != null) {
      return List.of(new ParamProblem("query", "cannot be given with current: give the count now (current) "
          + "or a command that prints it (query), not both"));
    }
    if (current == null && query == null) {
      return List.of(new ParamProblem("", "needs current (the replica count now, e.g. "
          + "\"{{ annotations.current_replicas }}\") or query (an argv list that prints it)"));
    }
    if (query != null) {
      return CommandSpec.argvProblems("query", query);
    }
    if (current instanceof String text && (rendered || text.contains("{{"))) {
      return List.of();
    }
    if (current instanceof String text) {
      return Replicas.parse(text).isPresent() ? List.of() : List.of(new ParamProblem("current",
          "must be a whole number of replicas or a template such as \"{{ annotations.current_replicas }}\", but was "
              + ParamChecks.describe(current)));
    }
    return wholeNumberProblems("current", current, 0, Integer.MAX_VALUE);
  }

  private static List<ParamProblem> changeProblems(Map<String, Object> with) {
    Object factor = with.get("factor");
    Object step = with.get("step");
    if (factor != null && step != null) {
      return List.of(new ParamProblem("step", "cannot be given with factor: scale by a factor (new = ceil(current x "
          + "factor)) or by a step (new = current + step), not both"));
    }
    if (factor == null && step == null) {
      return List.of(new ParamProblem("", "needs factor (e.g. 2, or 0.5 to scale down) or step (e.g. 1, or -1)"));
    }
    if (factor != null) {
      if (!(factor instanceof Number number)) {
        return List.of(new ParamProblem("factor", "must be a number such as 2 or 0.5, but was "
            + ParamChecks.describe(factor)));
      }
      BigDecimal value = decimal(number);
      if (value.signum() <= 0) {
        return List.of(new ParamProblem("factor", "must be above 0, but was " + factor));
      }
      if (value.compareTo(BigDecimal.ONE) == 0) {
        return List.of(new ParamProblem("factor", "must not be 1, which never changes the replica count"));
      }
      return List.of();
    }
    List<ParamProblem> problems = wholeNumberProblems("step", step, -LIMIT, LIMIT);
    if (problems.isEmpty() && ((Number) step).longValue() == 0) {
      return List.of(new ParamProblem("step", "must not be 0, which never changes the replica count"));
    }
    return problems;
  }

  private static List<ParamProblem> boundsProblems(Map<String, Object> with) {
    List<ParamProblem> problems = new ArrayList<>();
    Object min = with.get("min_replicas");
    Object max = with.get("max_replicas");
    if (min != null) {
      problems.addAll(wholeNumberProblems("min_replicas", min, 0, LIMIT));
    }
    if (max == null) {
      problems.add(new ParamProblem("max_replicas", "is required: the most replicas this rule may scale to"));
    } else {
      problems.addAll(wholeNumberProblems("max_replicas", max, 1, LIMIT));
    }
    if (problems.isEmpty()) {
      int low = min == null ? DEFAULT_MIN_REPLICAS : ((Number) min).intValue();
      int high = ((Number) max).intValue();
      if (high < low) {
        problems.add(new ParamProblem("max_replicas", "must not be below min_replicas ("
            + (min == null ? low + ", the default" : String.valueOf(low)) + "), but was " + high));
      }
    }
    return problems;
  }

  private static List<ParamProblem> wholeNumberProblems(String key, Object value, long low, long high) {
    if (!(value instanceof Integer) && !(value instanceof Long)) {
      return List.of(new ParamProblem(key, "must be a whole number, but was " + ParamChecks.describe(value)));
    }
    long number = ((Number) value).longValue();
    if (number < low || number > high) {
      return List.of(new ParamProblem(key, "must be between " + low + " and " + high + ", but was " + number));
    }
    return List.of();
  }

  /** The step of validated parameters. */
  static ReplicaStep step(Map<String, Object> params) {
    Object factor = params.get("factor");
    Object step = params.get("step");
    Object min = params.get("min_replicas");
    return new ReplicaStep(
        factor == null ? null : decimal((Number) factor),
        step == null ? null : ((Number) step).intValue(),
        min == null ? DEFAULT_MIN_REPLICAS : ((Number) min).intValue(),
        ((Number) params.get("max_replicas")).intValue());
  }

  /** A YAML number as an exact decimal: 1.1 is 1.1, not 1.100000000000000088817841970012523. */
  private static BigDecimal decimal(Number number) {
    return number instanceof Double value ? BigDecimal.valueOf(value) : BigDecimal.valueOf(number.longValue());
  }

  /** Replica counts as text: plain decimal digits, no sign, within an int. */
  static final class Replicas {
    private Replicas() {}

    static Optional<Integer> parse(String text) {
      String digits = text.strip();
      if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return Optional.empty();
      }
      return Optional.of(Integer.parseInt(digits));
    }
  }
}
