package dev.remediator.action.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ReplicaStepTest {
  private static ReplicaStep factor(String factor, int min, int max) {
    return new ReplicaStep(new BigDecimal(factor), null, min, max);
  }

  private static ReplicaStep step(int step, int min, int max) {
    return new ReplicaStep(null, step, min, max);
  }

  @Test
  void factorMultipliesAndRoundsUp() {
    assertThat(factor("2", 1, 10).next(3)).isEqualTo(6);
    assertThat(factor("1.5", 1, 10).next(3)).isEqualTo(5);
    assertThat(factor("0.5", 1, 10).next(5)).isEqualTo(3);
  }

  @Test
  void factorIsExactDecimalSoTenTimesOnePointOneIsEleven() {
    assertThat(factor("1.1", 1, 100).next(10)).isEqualTo(11);
  }

  @Test
  void stepAddsOrSubtracts() {
    assertThat(step(2, 1, 10).next(3)).isEqualTo(5);
    assertThat(step(-2, 1, 10).next(3)).isEqualTo(1);
  }

  @Test
  void resultIsKeptWithinMinAndMax() {
    assertThat(factor("2", 1, 10).next(8)).isEqualTo(10);
    assertThat(step(-5, 2, 10).next(4)).isEqualTo(2);
    assertThat(factor("2", 1, 10).next(0)).isEqualTo(1);
  }

  @Test
  void scalingUpNeverLowersACountAboveMax() {
    assertThat(factor("2", 1, 10).next(15)).isEqualTo(15);
    assertThat(step(1, 1, 10).next(10)).isEqualTo(10);
  }

  @Test
  void scalingDownNeverRaisesACountBelowMin() {
    assertThat(factor("0.5", 2, 10).next(1)).isEqualTo(1);
    assertThat(step(-1, 1, 10).next(0)).isZero();
  }

  @Test
  void gradualStepsReachMaxOneStepPerRun() {
    ReplicaStep doubling = factor("2", 1, 10);
    int replicas = 1;
    StringBuilder path = new StringBuilder().append(replicas);
    for (int run = 0; run < 5; run++) {
      replicas = doubling.next(replicas);
      path.append(" -> ").append(replicas);
    }
    assertThat(path).hasToString("1 -> 2 -> 4 -> 8 -> 10 -> 10");
  }

  @Test
  void describesItselfForMessages() {
    assertThat(factor("2.0", 1, 10).describe()).isEqualTo("x2");
    assertThat(factor("0.5", 1, 10).describe()).isEqualTo("x0.5");
    assertThat(step(3, 1, 10).describe()).isEqualTo("+3");
    assertThat(step(-1, 1, 10).describe()).isEqualTo("-1");
  }

  @Test
  void refusesBothOrNeitherAndMaxBelowMin() {
    assertThatIllegalArgumentException().isThrownBy(() -> new ReplicaStep(BigDecimal.TEN, 1, 1, 10))
        .withMessage("give factor or step, exactly one, but was factor=10, step=1");
    assertThatIllegalArgumentException().isThrownBy(() -> new ReplicaStep(null, null, 1, 10));
    assertThatIllegalArgumentException().isThrownBy(() -> step(1, 5, 4))
        .withMessage("max must not be below min, but was 4 < 5");
  }
}
