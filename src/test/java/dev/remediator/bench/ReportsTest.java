package dev.remediator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** The table and the JSON document, from a report built by hand. */
class ReportsTest {
  private static final long MS = 1_000_000;

  private static LoadResult load(long ok, long errors503, long elapsedMillis) {
    LatencySummary latency = new LatencySummary((int) ok, 2 * MS, 5 * MS, 9 * MS, 12 * MS, 15 * MS);
    Map<Integer, Long> byStatus = errors503 == 0 ? Map.of() : Map.of(503, errors503);
    return new LoadResult(elapsedMillis * MS, ok + errors503, ok, 2 * (ok + errors503), 2 * ok, latency,
        new TreeMap<>(byStatus), new TreeMap<>(), 3, 4 * MS, 1);
  }

  private static BenchReport report(LoadModel model) {
    BenchOptions options = new BenchOptions(HttpUrl.get("http://user:pw@127.0.0.1:9095/webhook"), Optional.of("t0ken"),
        model, Duration.ofSeconds(10), Duration.ofSeconds(2), 2, OptionalInt.empty(),
        Optional.of("jdbc:postgresql://127.0.0.1:5432/x?user=postgres&password=pw"), true, Duration.ofSeconds(30));
    StoreFigures store = new StoreFigures("0123abcd", 2000, 2000, 0, 0,
        new LatencySummary(2000, 20 * MS, 40 * MS, 60 * MS, 70 * MS, 80 * MS), LatencySummary.EMPTY, 0,
        Optional.of(Duration.ofMillis(10_250)), Duration.ofMillis(500));
    return new BenchReport(options, "0123abcd", load(1000, 2, 10_000), Optional.of(store),
        Optional.of(new BenchReport.References(load(400, 0, 10_000), load(4000, 0, 10_000))));
  }

  @Test
  void tableShowsEachEndpointTheStoreAndTheRatios() {
    String table = TextReport.render(report(new LoadModel.Closed(64)));

    assertThat(table).startsWith("remediator bench, run 0123abcd: closed model, 64 connections, 10 s measured after "
        + "2 s warm-up, 2 alerts per notification, fresh fingerprints\n"
        + "target http://user:***@127.0.0.1:9095/webhook\n");
    assertThat(table).contains(
        "\n                               remediator   naive insert           bare\n",
        "notifications/s                     100.0           40.0          400.0\n",
        "errors                                  2              0              0\n",
        "                p99                  9.00           9.00           9.00\n",
        "errors, remediator: 503 x2\n",
        "  stored 2,000, decided 2,000 (decide failed 0), not decided 0\n",
        "  alert to decision ms      p50 20.00  p90 40.00  p99 60.00  p99.9 70.00  max 80.00  (n=2,000)\n",
        "  alert to action start ms  none started (dry run, or no rule acted)\n",
        "  all decided 10.25 s after the first alert was received (waited 0.50 s after the load)\n",
        "remediator / naive insert: 2.50x\n",
        "remediator / bare: 0.25x\n");
    assertThat(table).doesNotContain("late starts", "pw", "t0ken");
  }

  @Test
  void openModelTableCountsLateStarts() {
    String table = TextReport.render(report(new LoadModel.Open(250)));

    assertThat(table).contains("open model, 250 notifications/s scheduled, at most 256 in flight",
        "late starts (> 1 ms)                    3              3              3\n",
        "waited for a connection                 1              1              1\n");
  }

  @Test
  void jsonHasItsSectionsRatiosAndNullsForWhatWasNotMeasured() throws Exception {
    JsonNode json = new ObjectMapper().readTree(JsonReport.render(report(new LoadModel.Closed(64))));

    assertThat(json.fieldNames()).toIterable().containsExactly("runId", "settings", "remediator", "store",
        "reference");
    assertThat(json.at("/settings/url").asText()).isEqualTo("http://user:***@127.0.0.1:9095/webhook");
    assertThat(json.at("/settings/rate").isNull()).isTrue();
    assertThat(json.at("/settings/connections").asInt()).isEqualTo(64);
    assertThat(json.at("/remediator/notifications/perSecond").asDouble()).isEqualTo(100.0);
    assertThat(json.at("/remediator/alerts/perSecond").asDouble()).isEqualTo(200.0);
    assertThat(json.at("/remediator/errors/byStatus/503").asLong()).isEqualTo(2);
    assertThat(json.at("/remediator/ackLatencyMs/p999").asDouble()).isEqualTo(12.0);
    assertThat(json.at("/remediator/lateStarts").isNull()).isTrue();
    assertThat(json.at("/store/alertToActionStartMs/count").asInt()).isZero();
    assertThat(json.at("/store/alertToActionStartMs/p50").isNull()).isTrue();
    assertThat(json.at("/store/allDecidedAfterSeconds").asDouble()).isEqualTo(10.25);
    assertThat(json.at("/reference/ratios/remediatorToNaiveInsert").asDouble()).isEqualTo(2.5);
    assertThat(json.at("/reference/ratios/remediatorToBare").asDouble()).isEqualTo(0.25);
    assertThat(json.toString()).doesNotContain("t0ken", "password=pw");
  }

  @Test
  void aReferenceThatAcknowledgedNothingHasNoRatio() {
    assertThat(BenchReport.ratio(load(10, 0, 1000), load(0, 5, 1000))).isEmpty();
  }
}
