package dev.remediator.rules;

import dev.remediator.target.TargetKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Action specs standing in for the real {@code command} and {@code notify} specs: the same
 * parameters, target kinds and strictness, checked the same simple way.
 */
public final class TestCatalog {
  private TestCatalog() {}

  public static Map<String, ActionSpec> actions() {
    return Map.of("command", new CommandSpec(), "notify", new NotifySpec());
  }

  /** argv (required list of strings, argv[0] a literal program), timeout (optional duration); strict. */
  static final class CommandSpec implements ActionSpec {
    @Override
    public String name() {
      return "command";
    }

    @Override
    public Set<TargetKind> targetKinds() {
      return Set.of(TargetKind.COMMAND);
    }

    @Override
    public List<ParamProblem> validate(Map<String, Object> with) {
      List<ParamProblem> problems = new ArrayList<>(unknown(with, Set.of("argv", "timeout")));
      Object argv = with.get("argv");
      if (argv == null) {
        problems.add(new ParamProblem("argv", "is required"));
      } else if (!(argv instanceof List<?> list) || list.isEmpty()) {
        problems.add(new ParamProblem("argv", "must be a non-empty list of strings"));
      } else {
        for (int i = 0; i < list.size(); i++) {
          if (!(list.get(i) instanceof String)) {
            problems.add(new ParamProblem("argv[" + i + "]", "must be a string"));
          }
        }
        if (list.get(0) instanceof String program && program.contains("{{")) {
          problems.add(new ParamProblem("argv[0]", "the program must be literal, not templated"));
        }
      }
      Object timeout = with.get("timeout");
      if (timeout != null) {
        try {
          PromDuration.parse(String.valueOf(timeout));
        } catch (IllegalArgumentException e) {
          problems.add(new ParamProblem("timeout", e.getMessage()));
        }
      }
      return problems;
    }

    @Override
    public boolean strictTemplates() {
      return true;
    }
  }

  /** text (optional string); not strict. */
  static final class NotifySpec implements ActionSpec {
    @Override
    public String name() {
      return "notify";
    }

    @Override
    public Set<TargetKind> targetKinds() {
      return Set.of(TargetKind.WEBHOOK);
    }

    @Override
    public List<ParamProblem> validate(Map<String, Object> with) {
      List<ParamProblem> problems = new ArrayList<>(unknown(with, Set.of("text")));
      Object text = with.get("text");
      if (text != null && !(text instanceof String)) {
        problems.add(new ParamProblem("text", "must be a string"));
      }
      return problems;
    }

    @Override
    public boolean strictTemplates() {
      return false;
    }
  }

  private static List<ActionSpec.ParamProblem> unknown(Map<String, Object> with, Set<String> known) {
    return with.keySet().stream().filter(key -> !known.contains(key)).sorted()
        .map(key -> new ActionSpec.ParamProblem(key, "unknown parameter")).toList();
  }
}
