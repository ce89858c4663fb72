package dev.remediator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** The open and closed models on a fake clock, with senders that take a known time. */
class LoopsTest {
  private static final long MS = 1_000_000;
  private static final Executor INLINE = Runnable::run;

  private final FakeTicker ticker = new FakeTicker();
  private final Notifications bodies = new Notifications("0123abcd", 2, OptionalInt.empty(),
      Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));

  /** A sender that takes {@code millis} of fake time per send and records when each send began. */
  private Sender taking(long millis, List<Long> began) {
    return body -> {
      began.add(ticker.nanos());
      ticker.advance(millis * MS);
      return Reply.http(200);
    };
  }

  @Test
  void openModelMeasuresFromTheScheduledTimeSoASlowServerShowsItsQueue() throws Exception {
    List<Long> began = new ArrayList<>();

    // 100/s: a send is due every 10 ms, but each answer takes 25 ms and only one may be in flight.
    LoadResult result = new OpenLoop(ticker, INLINE, 1).run(100, Duration.ofMillis(50), bodies, taking(25, began));

    assertThat(began).containsExactly(0L, 25 * MS, 50 * MS, 75 * MS, 100 * MS);
    // Due at 0, 10, 20, 30, 40 ms, answered at 25, 50, 75, 100, 125 ms: the wait is in the latency.
    assertThat(result.ackLatency()).isEqualTo(new LatencySummary(5, 55 * MS, 85 * MS, 85 * MS, 85 * MS, 85 * MS));
    assertThat(result.lateStarts()).isEqualTo(4);
    assertThat(result.maxStartLagNanos()).isEqualTo(60 * MS);
    assertThat(result.elapsedNanos()).isEqualTo(125 * MS);
    assertThat(result.sent()).isEqualTo(5);
    assertThat(result.alertsOk()).isEqualTo(10);
  }

  @Test
  void openModelKeepsItsScheduleWhenTheServerIsFastEnough() throws Exception {
    List<Long> began = new ArrayList<>();

    LoadResult result = new OpenLoop(ticker, INLINE, 1).run(100, Duration.ofMillis(50), bodies, taking(4, began));

    assertThat(began).containsExactly(0L, 10 * MS, 20 * MS, 30 * MS, 40 * MS);
    assertThat(result.ackLatency()).isEqualTo(new LatencySummary(5, 4 * MS, 4 * MS, 4 * MS, 4 * MS, 4 * MS));
    assertThat(result.lateStarts()).isZero();
    assertThat(result.notificationsPerSecond()).isEqualTo(5 / 0.044);
  }

  @Test
  void openModelSendsRateTimesDurationNotifications() throws Exception {
    LoadResult result = new OpenLoop(ticker, INLINE, 1).run(2.5, Duration.ofSeconds(2), bodies,
        taking(1, new ArrayList<>()));

    assertThat(result.sent()).isEqualTo(5);
  }

  @Test
  void errorsAreCountedByStatusAndTransportFailureAndLeftOutOfTheLatencies() throws Exception {
    List<Reply> replies = new ArrayList<>(List.of(Reply.http(200), Reply.http(503), Reply.failed("connection refused"),
        Reply.http(503), Reply.http(401)));
    Sender sender = body -> {
      ticker.advance(MS);
      return replies.remove(0);
    };

    LoadResult result = new OpenLoop(ticker, INLINE, 1).run(100, Duration.ofMillis(50), bodies, sender);

    assertThat(result.ok()).isEqualTo(1);
    assertThat(result.errors()).isEqualTo(4);
    assertThat(result.ackLatency().count()).isEqualTo(1);
    assertThat(result.errorsByKind()).isEqualTo(Map.of("401", 1L, "503", 2L, "transport: connection refused", 1L));
    assertThat(result.nothingAnswered()).isFalse();
  }

  @Test
  void aSenderThatThrowsIsCountedAsAClientFailure() throws Exception {
    Sender sender = body -> {
      throw new IllegalStateException("boom");
    };

    LoadResult result = new OpenLoop(ticker, INLINE, 1).run(100, Duration.ofMillis(20), bodies, sender);

    assertThat(result.transportErrors()).isEqualTo(Map.of("client failure: IllegalStateException", 2L));
    assertThat(result.nothingAnswered()).isTrue();
  }

  @Test
  void closedModelSendsAgainAsSoonAsItIsAnsweredAndMeasuresFromTheSend() throws Exception {
    List<Long> began = new ArrayList<>();

    LoadResult result = new ClosedLoop(ticker, INLINE).run(1, Duration.ofMillis(50), bodies, taking(10, began));

    assertThat(began).containsExactly(0L, 10 * MS, 20 * MS, 30 * MS, 40 * MS);
    assertThat(result.ackLatency()).isEqualTo(new LatencySummary(5, 10 * MS, 10 * MS, 10 * MS, 10 * MS, 10 * MS));
    assertThat(result.elapsedNanos()).isEqualTo(50 * MS);
    assertThat(result.notificationsPerSecond()).isEqualTo(100.0);
    assertThat(result.alertsPerSecond()).isEqualTo(200.0);
  }
}
