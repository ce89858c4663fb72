package dev.remediator.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where an action's total deadline comes from: the rule, else the target, else its kind. */
class DeadlinesTest {
  @ParameterizedTest(name = "{0}: {1}s")
  @CsvSource({"COMMAND, 60", "HTTP, 30", "KUBERNETES, 30", "RAILWAY, 30", "POSTGRES, 30", "REDIS, 30", "WEBHOOK, 30"})
  void eachKindHasItsDefault(TargetKind kind, long seconds) {
    Target target = new Target("t", kind, Map.of());

    assertThat(Deadlines.of(Map.of(), Optional.of(target))).isEqualTo(Duration.ofSeconds(seconds));
  }

  @Test
  void targetTimeoutOverridesTheKindsDefault() {
    Target cluster = new Target("cluster", TargetKind.KUBERNETES, Map.of("timeout", "2m"));

    assertThat(Deadlines.of(Map.of(), Optional.of(cluster))).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void rulesOwnTimeoutOverridesTheTargets() {
    Target deployer = new Target("deployer", TargetKind.COMMAND, Map.of("timeout", "2m"));

    assertThat(Deadlines.of(Map.of("timeout", "15s"), Optional.of(deployer))).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void targetTheRulesNoLongerNameGetsTheLongestDefault() {
    assertThat(Deadlines.of(Map.of(), Optional.empty())).isEqualTo(Deadlines.COMMAND);
  }
}
