package dev.remediator.action.command;

import dev.remediator.action.ParamChecks;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.TargetKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The rules-file contract of an action that a {@code command} target carries out with one argv
 * list under the action's own name, such as {@code restart} ({@code systemctl restart app}) or
 * {@code rollback} ({@code ./scripts/rollback.sh {{ annotations.previous_version }}}): the same
 * {@code argv} and optional {@code timeout} (1s to 1h, default 60s) as the {@code command} action.
 */
public final class NamedCommandSpec implements ActionSpec {
  private static final List<String> KEYS = List.of("argv", "timeout");

  private final String name;

  public NamedCommandSpec(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  @Override
  public String name() {
    return name;
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
    List<ParamProblem> problems = new ArrayList<>(ParamChecks.unknownKeys(name, with, KEYS));
    problems.addAll(CommandSpec.argvProblems("argv", with.get("argv")));
    problems.addAll(CommandSpec.timeoutProblems(with));
    return problems;
  }
}
