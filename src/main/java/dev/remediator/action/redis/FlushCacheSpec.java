package dev.remediator.action.redis;

import dev.remediator.action.ParamChecks;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.TargetKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules-file contract of {@code flush_cache} on a {@code redis} target: exactly one of
 * {@code pattern} (a SCAN MATCH glob whose keys are deleted in batches, with {@code max_keys},
 * 1 to 1,000,000, default 100,000, and {@code batch}, 1 to 10,000, default 500) or
 * {@code scope: db} (the whole logical db of the target's URL, which a rule must ask for by name).
 */
public final class FlushCacheSpec implements ActionSpec {
  public static final String NAME = "flush_cache";
  static final int DEFAULT_MAX_KEYS = 100_000;
  static final int DEFAULT_BATCH = 500;
  private static final int MAX_MAX_KEYS = 1_000_000;
  private static final int MAX_BATCH = 10_000;
  private static final List<String> KEYS = List.of("pattern", "max_keys", "batch", "scope");

  /** What a rule asked for: keys matching a pattern, or the whole db. */
  sealed interface Flush {}

  /** SCAN MATCH {@code pattern} COUNT {@code batch}, UNLINK in batches, at most {@code maxKeys}. */
  record ByPattern(String pattern, int maxKeys, int batch) implements Flush {}

  /** FLUSHDB ASYNC on the URL's logical db. */
  record WholeDb() implements Flush {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<TargetKind> targetKinds() {
    return Set.of(TargetKind.REDIS);
  }

  @Override
  public boolean strictTemplates() {
    return true;
  }

  @Override
  public List<ParamProblem> validate(Map<String, Object> with) {
    List<ParamProblem> problems = new ArrayList<>(ParamChecks.unknownKeys(NAME, with, KEYS));
    Object pattern = with.get("pattern");
    Object scope = with.get("scope");
    if (pattern != null && scope != null) {
      problems.add(new ParamProblem("scope", "cannot be given with pattern: delete the keys matching a pattern,"
          + " or flush the whole db with scope: db, not both"));
      return problems;
    }
    if (pattern == null && scope == null) {
      problems.add(new ParamProblem("", "needs pattern (the keys to delete, e.g. \"apartment:*\") or scope: db"
          + " (the whole logical db, said explicitly)"));
      return problems;
    }
    if (scope != null) {
      if (!"db".equals(scope)) {
        problems.add(new ParamProblem("scope", "must be db, the only scope there is, but was "
            + ParamChecks.describe(scope)));
      }
      for (String key : List.of("max_keys", "batch")) {
        if (with.containsKey(key)) {
          problems.add(new ParamProblem(key, "applies only with pattern; scope: db flushes every key of the db"));
        }
      }
      return problems;
    }
    if (!(pattern instanceof String text) || text.isEmpty()) {
      problems.add(new ParamProblem("pattern", "must be a non-empty string, but was " + ParamChecks.describe(pattern)));
    }
    problems.addAll(wholeNumber("max_keys", with.get("max_keys"), MAX_MAX_KEYS));
    problems.addAll(wholeNumber("batch", with.get("batch"), MAX_BATCH));
    return problems;
  }

  /** What validated parameters ask for. */
  static Flush flush(Map<String, Object> params) {
    if (params.get("scope") != null) {
      return new WholeDb();
    }
    return new ByPattern((String) params.get("pattern"),
        params.get("max_keys") == null ? DEFAULT_MAX_KEYS : ((Number) params.get("max_keys")).intValue(),
        params.get("batch") == null ? DEFAULT_BATCH : ((Number) params.get("batch")).intValue());
  }

  private static List<ParamProblem> wholeNumber(String key, Object value, int high) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof Integer) && !(value instanceof Long)) {
      return List.of(new ParamProblem(key, "must be a whole number, but was " + ParamChecks.describe(value)));
    }
    long number = ((Number) value).longValue();
    if (number < 1 || number > high) {
      return List.of(new ParamProblem(key, "must be between 1 and " + high + ", but was " + number));
    }
    return List.of();
  }
}
