package dev.remediator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MutableClockTest {
  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void standsStillInUtcUntilMoved() {
    MutableClock clock = MutableClock.at(START);

    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void advanceAndSetMoveTheClock() {
    MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");

    assertThat(clock.advance(Duration.ofMinutes(15))).isEqualTo(START.plusSeconds(900));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(900));
    clock.set(START.minusSeconds(1));
    assertThat(clock.instant()).isEqualTo(START.minusSeconds(1));
  }

  @Test
  void clockWithOtherZoneSharesTheInstant() {
    MutableClock clock = MutableClock.at(START);
    MutableClock berlin = clock.withZone(ZoneId.of("Europe/Berlin"));

    clock.advance(Duration.ofHours(1));

    assertThat(berlin.instant()).isEqualTo(START.plusSeconds(3600));
    assertThat(berlin.getZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
  }

  @Test
  void concurrentAdvancesAreNotLost() throws Exception {
    MutableClock clock = MutableClock.at(START);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        done.add(pool.submit(() -> {
          for (int j = 0; j < 1000; j++) {
            clock.advance(Duration.ofMillis(1));
          }
        }));
      }
      for (Future<?> future : done) {
        future.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(clock.instant()).isEqualTo(START.plusMillis(8000));
  }
}
