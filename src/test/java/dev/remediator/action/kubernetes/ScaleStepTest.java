package dev.remediator.action.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ScaleStepTest {
  private static ScaleStep factor(String factor, int min, Integer max) {
    return new ScaleStep(new BigDecimal(factor), null, min, max);
  }

  private static ScaleStep step(int step, int min, Integer max) {
    return new ScaleStep(null, step, min, max);
  }

  @Test
  void factorRoundsUp() {
    assertThat(factor("2", 1, 10).next(3)).isEqualTo(6);
    assertThat(factor("1.5", 1, 10).next(3)).isEqualTo(5);
    assertThat(factor("1.1", 1, 100).next(10)).isEqualTo(11);
    assertThat(factor("0.5", 1, null).next(5)).isEqualTo(3);
  }

  @Test
  void stepAddsOrTakesAway() {
    assertThat(step(2, 1, 10).next(3)).isEqualTo(5);
    assertThat(step(-1, 1, null).next(3)).isEqualTo(2);
  }

  @Test
  void boundsHoldTheStep() {
    assertThat(factor("2", 1, 10).next(7)).isEqualTo(10);
    assertThat(factor("0.5", 2, null).next(3)).isEqualTo(2);
    assertThat(step(-5, 1, null).next(3)).isEqualTo(1);
    assertThat(factor("2", 2, 10).next(0)).isEqualTo(2);
  }

  @Test
  void boundsNeverTurnAStepAround() {
    assertThat(factor("2", 1, 10).next(12)).isEqualTo(12);
    assertThat(step(-1, 3, null).next(2)).isEqualTo(2);
    assertThat(factor("0.5", 1, 4).next(1)).isEqualTo(1);
  }

  @Test
  void describesItselfAsTheRuleSaysIt() {
    assertThat(factor("2", 1, 10).describe()).isEqualTo("factor 2");
    assertThat(factor("0.50", 1, 10).describe()).isEqualTo("factor 0.5");
    assertThat(step(1, 1, 10).describe()).isEqualTo("step +1");
    assertThat(step(-2, 1, 10).describe()).isEqualTo("step -2");
  }
}
