package dev.remediator.action.railway;

import dev.remediator.action.ParamChecks;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.TargetKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules-file contract of {@code restart} and {@code rollback} on a railway target: the
 * Railway ids of the {@code project}, {@code environment} and {@code service} to act on, each a
 * non-empty string (quote ids that YAML would read as numbers). Templates are strict: every
 * label they use needs an allow pattern.
 */
public final class RailwaySpec implements ActionSpec {
  static final List<String> KEYS = List.of("project", "environment", "service");

  private final String name;

  /** @param name {@code restart} or {@code rollback} */
  public RailwaySpec(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<TargetKind> targetKinds() {
    return Set.of(TargetKind.RAILWAY);
  }

  @Override
  public boolean strictTemplates() {
    return true;
  }

  @Override
  public List<ParamProblem> validate(Map<String, Object> with) {
    List<ParamProblem> problems = new ArrayList<>(ParamChecks.unknownKeys(name, with, KEYS));
    for (String key : KEYS) {
      Object value = with.get(key);
      if (value == null) {
        problems.add(new ParamProblem(key, "is required: the Railway " + key + " id"));
      } else if (!(value instanceof String text) || text.isBlank()) {
        problems.add(new ParamProblem(key,
            "must be a non-empty string (the Railway " + key + " id), but was " + ParamChecks.describe(value)));
      }
    }
    return problems;
  }

  /** The service a request acts on, from validated parameters. */
  static ServiceRef service(Map<String, Object> params) {
    return new ServiceRef((String) params.get("project"), (String) params.get("environment"),
        (String) params.get("service"));
  }
}
