package dev.remediator.action.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.rules.ActionSpec.ParamProblem;
import dev.remediator.target.TargetKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KillIdleConnectionsSpecTest {
  private final KillIdleConnectionsSpec spec = new KillIdleConnectionsSpec();

  @Test
  void describesItselfAsAStrictActionOnPostgresTargets() {
    assertThat(spec.name()).isEqualTo("kill_idle_connections");
    assertThat(spec.targetKinds()).containsExactly(TargetKind.POSTGRES);
    assertThat(spec.strictTemplates()).isTrue();
  }

  @Test
  void acceptsEveryParameter() {
    assertThat(spec.validate(Map.of("idle_for", "10m", "max", 50, "database", "app", "user", "{{ labels.db_user }}",
        "application_name", "api", "include_idle_in_transaction", true))).isEmpty();
  }

  @Test
  void defaultsToFiftyAndIdleOnly() {
    assertThat(KillIdleConnectionsSpec.filter(Map.of("idle_for", "10m")))
        .isEqualTo(new IdleFilter(Duration.ofMinutes(10), 50, null, null, null, false));
  }

  @Test
  void requiresIdleForAsADurationOfAtLeastOneSecond() {
    assertThat(spec.validate(Map.of())).containsExactly(
        new ParamProblem("idle_for", "is required: how long a connection must have been idle, e.g. 10m"));
    assertThat(spec.validate(Map.of("idle_for", 600)))
        .containsExactly(new ParamProblem("idle_for", "must be a duration such as 10m, but was 600"));
    assertThat(spec.validate(Map.of("idle_for", "10 minutes"))).containsExactly(new ParamProblem("idle_for",
        "not a valid duration string: \"10 minutes\" (use e.g. 90s, 15m, 1h30m)"));
    assertThat(spec.validate(Map.of("idle_for", "500ms")))
        .containsExactly(new ParamProblem("idle_for", "must be at least 1s, but was 500ms"));
  }

  @Test
  void maxIsAWholeNumberFromOneToTenThousand() {
    assertThat(spec.validate(Map.of("idle_for", "10m", "max", 0)))
        .containsExactly(new ParamProblem("max", "must be between 1 and 10000, but was 0"));
    assertThat(spec.validate(Map.of("idle_for", "10m", "max", 10_001)))
        .containsExactly(new ParamProblem("max", "must be between 1 and 10000, but was 10001"));
    assertThat(spec.validate(Map.of("idle_for", "10m", "max", 5_000_000_000L)))
        .containsExactly(new ParamProblem("max", "must be between 1 and 10000, but was 5000000000"));
    assertThat(spec.validate(Map.of("idle_for", "10m", "max", 2.5)))
        .containsExactly(new ParamProblem("max", "must be a whole number, but was 2.5"));
    assertThat(spec.validate(Map.of("idle_for", "10m", "max", "50")))
        .containsExactly(new ParamProblem("max", "must be a whole number, but was \"50\""));
  }

  @Test
  void filtersAreNonEmptyStringsAndTheFlagABoolean() {
    assertThat(spec.validate(Map.of("idle_for", "10m", "database", "", "user", 5, "application_name", List.of("a"),
        "include_idle_in_transaction", "yes"))).containsExactly(
        new ParamProblem("database", "must be a non-empty string, but was \"\""),
        new ParamProblem("user", "must be a non-empty string, but was 5"),
        new ParamProblem("application_name", "must be a non-empty string, but was [a]"),
        new ParamProblem("include_idle_in_transaction", "must be true or false, but was \"yes\""));
  }

  @Test
  void rejectsUnknownKeys() {
    assertThat(spec.validate(Map.of("idle_for", "10m", "state", "idle"))).containsExactly(new ParamProblem("state",
        "is not a parameter of kill_idle_connections (known: idle_for, max, database, user, application_name,"
            + " include_idle_in_transaction)"));
  }
}
