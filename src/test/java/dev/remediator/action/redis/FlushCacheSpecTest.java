package dev.remediator.action.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.rules.ActionSpec.ParamProblem;
import dev.remediator.target.TargetKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlushCacheSpecTest {
  private final FlushCacheSpec spec = new FlushCacheSpec();

  @Test
  void describesItselfAsAStrictActionOnRedisTargets() {
    assertThat(spec.name()).isEqualTo("flush_cache");
    assertThat(spec.targetKinds()).containsExactly(TargetKind.REDIS);
    assertThat(spec.strictTemplates()).isTrue();
  }

  @Test
  void acceptsAPatternWithItsLimitsOrTheWholeDbSaidExplicitly() {
    assertThat(spec.validate(Map.of("pattern", "apartment:*", "max_keys", 100_000, "batch", 500))).isEmpty();
    assertThat(spec.validate(Map.of("pattern", "{{ labels.cache_prefix }}:*"))).isEmpty();
    assertThat(spec.validate(Map.of("scope", "db"))).isEmpty();
  }

  @Test
  void defaultsToAHundredThousandKeysInBatchesOfFiveHundred() {
    assertThat(FlushCacheSpec.flush(Map.of("pattern", "apartment:*")))
        .isEqualTo(new FlushCacheSpec.ByPattern("apartment:*", 100_000, 500));
    assertThat(FlushCacheSpec.flush(Map.of("scope", "db"))).isEqualTo(new FlushCacheSpec.WholeDb());
  }

  @Test
  void needsExactlyOneOfPatternAndScope() {
    assertThat(spec.validate(Map.of())).containsExactly(new ParamProblem("",
        "needs pattern (the keys to delete, e.g. \"apartment:*\") or scope: db (the whole logical db, said explicitly)"));
    assertThat(spec.validate(Map.of("pattern", "apartment:*", "scope", "db"))).containsExactly(new ParamProblem("scope",
        "cannot be given with pattern: delete the keys matching a pattern, or flush the whole db with scope: db,"
            + " not both"));
  }

  @Test
  void scopeIsOnlyDbAndTakesNoPatternLimits() {
    assertThat(spec.validate(Map.of("scope", "all")))
        .containsExactly(new ParamProblem("scope", "must be db, the only scope there is, but was \"all\""));
    assertThat(spec.validate(Map.of("scope", "db", "max_keys", 10))).containsExactly(
        new ParamProblem("max_keys", "applies only with pattern; scope: db flushes every key of the db"));
  }

  @Test
  void limitsAreWholeNumbersWithinBounds() {
    assertThat(spec.validate(Map.of("pattern", "a:*", "max_keys", 0, "batch", 20_000))).containsExactly(
        new ParamProblem("max_keys", "must be between 1 and 1000000, but was 0"),
        new ParamProblem("batch", "must be between 1 and 10000, but was 20000"));
    assertThat(spec.validate(Map.of("pattern", "a:*", "max_keys", "10", "batch", 2.5))).containsExactly(
        new ParamProblem("max_keys", "must be a whole number, but was \"10\""),
        new ParamProblem("batch", "must be a whole number, but was 2.5"));
    assertThat(spec.validate(Map.of("pattern", ""))).containsExactly(
        new ParamProblem("pattern", "must be a non-empty string, but was \"\""));
  }

  @Test
  void rejectsUnknownKeys() {
    assertThat(spec.validate(Map.of("pattern", "a:*", "async", true))).containsExactly(new ParamProblem("async",
        "is not a parameter of flush_cache (known: pattern, max_keys, batch, scope)"));
  }
}
