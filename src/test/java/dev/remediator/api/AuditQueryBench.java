package dev.remediator.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures the audit API on PostgreSQL with a large log (1,000,000 events unless told otherwise):
 * the first page and the next page (through the cursor) of representative filtered queries, each
 * timed over 50 requests through the real HTTP server, then an {@code audit export} of every
 * event in a child JVM limited to a 64 MB heap. A bench, not part of the test run (it takes
 * minutes): it runs only when asked for, with
 *
 * <pre>
 * mvn -B -q -o test -Dtest=AuditQueryBench -Daudit.bench.events=1000000 -Dfuzz.skip -Djacoco.skip
 * </pre>
 *
 * and fails if a request is refused or the export is incomplete or runs out of heap.
 */
class AuditQueryBench {
  private static final int REQUESTS = 50;
  private static final int WARMUP = 5;
  private static final String VIEWER = "Bearer bench-viewer";

  /** Representative filtered queries: one filter, two together, a window, the text search. */
  private static final List<String> QUERIES = List.of(
      "",
      "alertname=Alert7",
      "fingerprint=fp-1234",
      "rule=rule-3&outcome=failed",
      "kind=failed&target=target-5",
      "actor=operator%4010.0.0.7",
      "action=scale&since=2026-01-05T00:00:00Z&until=2026-01-06T00:00:00Z",
      "since=2026-01-03T00:00:00Z&until=2026-01-03T01:00:00Z",
      "q=checked",
      "q=c4ca4238a0b923",
      "q=rule-19&alertname=Alert3");

  @Test
  @EnabledIfSystemProperty(named = "audit.bench.events", matches = "[0-9]+")
  void measure() throws Exception {
    int events = Integer.parseInt(System.getProperty("audit.bench.events"));
    try (TestDatabase postgres = new TestDatabase()) {
      long filled = fill(postgres, events);
      System.out.printf("filled %,d events in %,d ms%n", events, filled);
      Path dir = Files.createTempDirectory("audit-bench");
      try (RunningApp app = RunningApp.start(dir, "rules: []\n", Optional.of(postgres.storeUrl()), Optional.empty(),
          Optional.empty(), false, Map.of(), config -> config.withViewerToken(Optional.of("bench-viewer")))) {
        System.out.printf("%-70s %10s %10s %10s %10s%n", "query (limit=100)", "first p50", "first p99", "next p50",
            "next p99");
        for (String query : QUERIES) {
          time(app, query);
        }
      }
      export(postgres, events);
    }
  }

  /** Fills the log with {@code events} varied events in one statement, then updates the planner's statistics. */
  private static long fill(TestDatabase postgres, int events) throws Exception {
    // Migrated first, so every index is in place while the rows go in, as in a real store.
    postgres.openStore().close();
    long start = System.nanoTime();
    try (Connection connection = postgres.connect();
         PreparedStatement insert = connection.prepareStatement("""
          insert into audit_event (occurred_at, kind, actor, notification_id, alert_id, remediation_id, fingerprint,
                                   alertname, rule_name, action, target, outcome, detail)
          select timestamptz '2026-01-01T00:00:00Z' + g * interval '1 second',
                 (array['received','guard','decided','started','succeeded','failed'])[1 + g % 6],
                 case when g % 13 = 0 then 'operator@10.0.0.' || (g % 11) else 'remediator' end,
                 g / 5, g / 5, case when g % 3 = 0 then g / 3 end,
                 'fp-' || (g % 20011), 'Alert' || (g % 41), 'rule-' || (g % 23),
                 (array['restart','scale','notify','command'])[1 + g % 4], 'target-' || (g % 31),
                 (array['pass','skip','run','succeeded','failed'])[1 + g % 5],
                 '{"n":' || g || ',"reason":"checked ' || md5(g::text) || '"}'
          from generate_series(1, ?) g""");
         Statement statement = connection.createStatement()) {
      insert.setInt(1, events);
      insert.execute();
      statement.execute("analyze audit_event");
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static void time(RunningApp app, String query) throws Exception {
    String path = "/api/v1/audit?limit=100" + (query.isEmpty() ? "" : "&" + query);
    String next = null;
    long[] first = new long[REQUESTS];
    for (int i = -WARMUP; i < REQUESTS; i++) {
      long start = System.nanoTime();
      RunningApp.Answer answer = app.send("GET", path, Map.of("Authorization", VIEWER));
      long took = System.nanoTime() - start;
      if (answer.status() != 200) {
        throw new IllegalStateException(path + " answered " + answer.status() + ": " + answer.body());
      }
      if (i >= 0) {
        first[i] = took;
      }
      next = nextCursor(answer.body());
    }
    long[] following = new long[REQUESTS];
    if (next != null) {
      for (int i = -WARMUP; i < REQUESTS; i++) {
        long start = System.nanoTime();
        RunningApp.Answer answer = app.send("GET", path + "&cursor=" + next, Map.of("Authorization", VIEWER));
        long took = System.nanoTime() - start;
        if (answer.status() != 200) {
          throw new IllegalStateException(path + " answered " + answer.status() + ": " + answer.body());
        }
        if (i >= 0) {
          following[i] = took;
        }
      }
    }
    System.out.printf("%-70s %10s %10s %10s %10s%n", query.isEmpty() ? "(no filter)" : query, ms(first, 50),
        ms(first, 99), next == null ? "-" : ms(following, 50), next == null ? "-" : ms(following, 99));
  }

  private static String nextCursor(String body) throws IOException {
    JsonNode next = AuditApiContract.JSON.readTree(body).get("next");
    return next == null || next.isNull() ? null : next.asText();
  }

  /** The {@code percentile} of {@code nanos} in milliseconds (nearest rank). */
  private static String ms(long[] nanos, int percentile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return String.format("%.1f ms", sorted[Math.max(0, rank)] / 1e6);
  }

  /** {@code audit export} of the whole log as CSV in a child JVM with a 64 MB heap; prints its time and row count. */
  private static void export(TestDatabase postgres, int events) throws Exception {
    Path csv = Files.createTempFile("audit-export", ".csv");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-cp", System.getProperty("java.class.path"), "dev.remediator.cli.Main", "audit", "export",
        "--format", "csv", "--database-url", postgres.storeUrl()));
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectOutput(csv.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    int status = process.waitFor();
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    long lines;
    try (var stream = Files.lines(csv)) {
      lines = stream.count();
    }
    System.out.printf("audit export --format csv of %,d events with -Xmx64m: exit %d, %,d lines, %,d ms, %,d bytes%n",
        events, status, lines, took, Files.size(csv));
    Files.delete(csv);
    if (status != 0 || lines != events + 1L) {
      throw new IllegalStateException("the export failed or was incomplete");
    }
  }
}
