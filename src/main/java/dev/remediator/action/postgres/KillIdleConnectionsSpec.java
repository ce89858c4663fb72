package dev.remediator.action.postgres;

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
 * The rules-file contract of {@code kill_idle_connections} on a {@code postgres} target:
 * {@code idle_for} (required, a duration of at least 1s), {@code max} (1 to 10000, default 50),
 * the optional filters {@code database}, {@code user} and {@code application_name}, and
 * {@code include_idle_in_transaction} (default false). Values may be templates; they reach the
 * server only as bound parameters.
 */
public final class KillIdleConnectionsSpec implements ActionSpec {
  public static final String NAME = "kill_idle_connections";
  static final int DEFAULT_MAX = 50;
  static final int MAX_MAX = 10_000;
  private static final Duration MIN_IDLE_FOR = Duration.ofSeconds(1);
  private static final List<String> FILTERS = List.of("database", "user", "application_name");
  private static final List<String> KEYS = List.of("idle_for", "max", "database", "user", "application_name",
      "include_idle_in_transaction");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<TargetKind> targetKinds() {
    return Set.of(TargetKind.POSTGRES);
  }

  @Override
  public boolean strictTemplates() {
    return true;
  }

  @Override
  public List<ParamProblem> validate(Map<String, Object> with) {
    List<ParamProblem> problems = new ArrayList<>(ParamChecks.unknownKeys(NAME, with, KEYS));
    Object idleFor = with.get("idle_for");
    if (idleFor == null) {
      problems.add(new ParamProblem("idle_for", "is required: how long a connection must have been idle, e.g. 10m"));
    } else {
      try {
        idleFor(idleFor);
      } catch (IllegalArgumentException e) {
        problems.add(new ParamProblem("idle_for", e.getMessage()));
      }
    }
    Object max = with.get("max");
    if (max != null && !(max instanceof Integer) && !(max instanceof Long)) {
      problems.add(new ParamProblem("max", "must be a whole number, but was " + ParamChecks.describe(max)));
    } else if (max != null && (((Number) max).longValue() < 1 || ((Number) max).longValue() > MAX_MAX)) {
      problems.add(new ParamProblem("max", "must be between 1 and " + MAX_MAX + ", but was " + max));
    }
    for (String filter : FILTERS) {
      Object value = with.get(filter);
      if (value != null && (!(value instanceof String text) || text.isEmpty())) {
        problems.add(new ParamProblem(filter, "must be a non-empty string, but was " + ParamChecks.describe(value)));
      }
    }
    Object include = with.get("include_idle_in_transaction");
    if (include != null && !(include instanceof Boolean)) {
      problems.add(new ParamProblem("include_idle_in_transaction",
          "must be true or false, but was " + ParamChecks.describe(include)));
    }
    return problems;
  }

  /** What validated parameters ask for. */
  static IdleFilter filter(Map<String, Object> params) {
    return new IdleFilter(
        idleFor(params.get("idle_for")),
        params.get("max") == null ? DEFAULT_MAX : (Integer) params.get("max"),
        (String) params.get("database"),
        (String) params.get("user"),
        (String) params.get("application_name"),
        Boolean.TRUE.equals(params.get("include_idle_in_transaction")));
  }

  private static Duration idleFor(Object value) {
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException("must be a duration such as 10m, but was " + ParamChecks.describe(value));
    }
    Duration idleFor = PromDuration.parse(text);
    if (idleFor.compareTo(MIN_IDLE_FOR) < 0) {
      throw new IllegalArgumentException("must be at least 1s, but was " + text);
    }
    return idleFor;
  }
}
