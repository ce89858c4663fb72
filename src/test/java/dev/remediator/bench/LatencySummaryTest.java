package dev.remediator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {
  @Test
  void percentilesOfOneToAThousandAreTheirNearestRanks() {
    long[] values = LongStream.rangeClosed(1, 1000).toArray();

    assertThat(LatencySummary.of(values)).isEqualTo(new LatencySummary(1000, 500, 900, 990, 999, 1000));
  }

  @Test
  void percentilesOfTenValuesRoundTheRankUp() {
    long[] values = LongStream.rangeClosed(1, 10).map(v -> v * 10).toArray();

    assertThat(LatencySummary.of(values)).isEqualTo(new LatencySummary(10, 50, 90, 100, 100, 100));
  }

  @Test
  void unsortedInputIsSortedFirst() {
    long[] values = {7, 3, 9, 1, 5};

    assertThat(LatencySummary.of(values)).isEqualTo(new LatencySummary(5, 5, 9, 9, 9, 9));
  }

  @Test
  void oneValueIsEveryPercentile() {
    assertThat(LatencySummary.of(new long[] {42})).isEqualTo(new LatencySummary(1, 42, 42, 42, 42, 42));
  }

  @Test
  void noValuesGiveAnEmptySummary() {
    assertThat(LatencySummary.of(new long[0])).isEqualTo(LatencySummary.EMPTY);
  }

  @Test
  void p999NeedsAThousandValuesToDifferFromTheMaximum() {
    long[] values = LongStream.rangeClosed(1, 2000).toArray();

    assertThat(LatencySummary.percentile(values, 99.9)).isEqualTo(1998);
    assertThat(LatencySummary.percentile(values, 100)).isEqualTo(2000);
  }

  @Test
  void percentileOutsideZeroToHundredIsRefused() {
    assertThatThrownBy(() -> LatencySummary.percentile(new long[] {1}, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("percentile must be in (0, 100], but was 0.0");
    assertThatThrownBy(() -> LatencySummary.percentile(new long[] {1}, 100.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("percentile must be in (0, 100], but was 100.5");
  }
}
