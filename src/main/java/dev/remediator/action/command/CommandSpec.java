package dev.remediator.action.command;

import dev.remediator.action.ParamChecks;
import dev.remediator.rules.ActionSpec;
import dev.remediator.rules.PromDuration;
import dev.remediator.target.TargetKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules-file contract of the {@code command} action: {@code argv}, a list of strings run
 * without a shell whose program (argv[0]) is a literal, and an optional {@code timeout} between 1s
 * and 1h (default 60s).
 */
public final class CommandSpec implements ActionSpec {
  public static final String NAME = "command";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration MAX_TIMEOUT = Duration.ofHours(1);
  private static final List<String> KEYS = List.of("argv", "timeout");

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
    List<ParamProblem> problems = new ArrayList<>(ParamChecks.unknownKeys(NAME, with, KEYS));
    problems.addAll(argvProblems("argv", with.get("argv")));
    problems.addAll(timeoutProblems(with));
    return problems;
  }

  /** The timeout of validated parameters, or the default when absent. */
  static Duration timeout(Map<String, Object> params) {
    Object value = params.get("timeout");
    return value == null ? DEFAULT_TIMEOUT : timeout(value);
  }

  private static Duration timeout(Object value) {
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException("must be a duration such as 60s, but was " + ParamChecks.describe(value));
    }
    Duration timeout = PromDuration.parse(text);
    if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException("must be between 1s and 1h, but was " + text);
    }
    return timeout;
  }

  /**
   * Problems with an argv list given as {@code key}: a non-empty list of strings whose program
   * ({@code key[0]}) is a literal, never a template.
   */
  static List<ParamProblem> argvProblems(String key, Object argv) {
    if (argv == null) {
      return List.of(new ParamProblem(key, "must be a non-empty list of strings"));
    }
    if (!(argv instanceof List<?> list) || list.isEmpty()) {
      return List.of(new ParamProblem(key,
          "must be a non-empty list of strings, but was " + ParamChecks.describe(argv)));
    }
    List<ParamProblem> problems = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String)) {
        problems.add(new ParamProblem(key,
            key + "[" + i + "] must be a string, but was " + ParamChecks.describe(list.get(i))));
      }
    }
    if (list.get(0) instanceof String program) {
      if (program.contains("{{")) {
        problems.add(new ParamProblem(key, key + "[0] must be a literal program, not a template"));
      } else if (program.isBlank()) {
        problems.add(new ParamProblem(key, key + "[0] must name a program, but was \"" + program + "\""));
      }
    }
    return problems;
  }

  /** The problem with an optional {@code timeout}, if any. */
  static List<ParamProblem> timeoutProblems(Map<String, Object> with) {
    Object timeout = with.get("timeout");
    if (timeout != null) {
      try {
        timeout(timeout);
      } catch (IllegalArgumentException e) {
        return List.of(new ParamProblem("timeout", e.getMessage()));
      }
    }
    return List.of();
  }

  /** The strings of a validated argv list. */
  static List<String> strings(Object argv) {
    return ((List<?>) argv).stream().map(String.class::cast).toList();
  }
}
