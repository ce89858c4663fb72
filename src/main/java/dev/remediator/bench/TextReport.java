package dev.remediator.bench;

import dev.remediator.config.Redaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The bench's report as a table for people: one column per endpoint, then the store's figures and the ratios. */
public final class TextReport {
  private static final String ROW = "%-26s";
  private static final String CELL = "%15s";

  private TextReport() {}

  public static String render(BenchReport report) {
    BenchOptions options = report.options();
    StringBuilder out = new StringBuilder();
    out.append("remediator bench, run ").append(report.runId()).append(": ").append(options.model().describe())
        .append(", ").append(seconds(options.duration())).append(" measured after ").append(seconds(options.warmup()))
        .append(" warm-up, ").append(options.alertsPerNotification())
        .append(options.alertsPerNotification() == 1 ? " alert" : " alerts").append(" per notification, ")
        .append(options.distinct().isPresent() ? "fingerprints from a pool of " + options.distinct().getAsInt()
            : "fresh fingerprints").append('\n');
    out.append("target ").append(Redaction.url(options.url().toString())).append("\n\n");
    table(out, report);
    report.store().ifPresent(store -> store(out, store));
    report.references().ifPresent(references -> {
      out.append('\n');
      ratio(out, "naive insert", BenchReport.ratio(report.remediator(), references.naiveInsert()));
      ratio(out, "bare", BenchReport.ratio(report.remediator(), references.bare()));
      out.append("(order: remediator, then naive insert, then bare, each with its own warm-up; the references run "
          + "in this process)\n");
    });
    return out.toString();
  }

  private static void table(StringBuilder out, BenchReport report) {
    List<String> names = new ArrayList<>(List.of("remediator"));
    List<LoadResult> loads = new ArrayList<>(List.of(report.remediator()));
    report.references().ifPresent(references -> {
      names.addAll(List.of("naive insert", "bare"));
      loads.addAll(List.of(references.naiveInsert(), references.bare()));
    });
    row(out, "", names, Function.identity());
    row(out, "notifications/s", loads, load -> format("%,.1f", load.notificationsPerSecond()));
    row(out, "alerts/s", loads, load -> format("%,.1f", load.alertsPerSecond()));
    row(out, "acknowledged (2xx)", loads, load -> format("%,d", load.ok()));
    row(out, "errors", loads, load -> format("%,d", load.errors()));
    row(out, "ack latency ms  p50", loads, load -> ms(load.ackLatency().p50()));
    row(out, "                p90", loads, load -> ms(load.ackLatency().p90()));
    row(out, "                p99", loads, load -> ms(load.ackLatency().p99()));
    row(out, "                p99.9", loads, load -> ms(load.ackLatency().p999()));
    row(out, "                max", loads, load -> ms(load.ackLatency().max()));
    if (report.options().model() instanceof LoadModel.Open) {
      row(out, "late starts (> 1 ms)", loads, load -> format("%,d", load.lateStarts()));
      row(out, "waited for a connection", loads, load -> format("%,d", load.noFreeConnection()));
    }
    for (int i = 0; i < loads.size(); i++) {
      Map<String, Long> errors = loads.get(i).errorsByKind();
      if (!errors.isEmpty()) {
        out.append("errors, ").append(names.get(i)).append(": ").append(String.join(", ", errors.entrySet().stream()
            .map(error -> error.getKey() + " x" + error.getValue()).toList())).append('\n');
      }
    }
  }

  private static <T> void row(StringBuilder out, String label, List<T> columns, Function<T, String> cell) {
    out.append(String.format(Locale.ROOT, ROW, label));
    columns.forEach(column -> out.append(String.format(Locale.ROOT, CELL, cell.apply(column))));
    out.append('\n');
  }

  private static void store(StringBuilder out, StoreFigures store) {
    out.append("\nstore, alerts of this run (fingerprints ").append(store.fingerprintPrefix()).append("...):\n");
    out.append(format("  stored %,d, decided %,d (decide failed %,d), not decided %,d%n", store.stored(),
        store.decided(), store.decideFailed(), store.notDecided()));
    latency(out, "alert to decision", store.toDecision(), "none decided");
    latency(out, "alert to action start", store.toActionStart(), "none started (dry run, or no rule acted)");
    if (store.actionsNotStarted() > 0) {
      out.append(format("  %,d actions decided to run had not started when read%n", store.actionsNotStarted()));
    }
    out.append(store.allDecidedAfter()
        .map(after -> format("  all decided %.2f s after the first alert was received", after.toNanos() / 1e9))
        .orElse(format("  %,d not decided within the settle time", store.notDecided())));
    out.append(format(" (waited %.2f s after the load)%n", store.settleWait().toNanos() / 1e9));
  }

  private static void latency(StringBuilder out, String label, LatencySummary latency, String whenNone) {
    out.append(format("  %-26s", label + " ms"));
    if (latency.count() == 0) {
      out.append(whenNone).append('\n');
      return;
    }
    out.append(format("p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (n=%,d)%n", ms(latency.p50()), ms(latency.p90()),
        ms(latency.p99()), ms(latency.p999()), ms(latency.max()), latency.count()));
  }

  private static void ratio(StringBuilder out, String reference, Optional<Double> ratio) {
    out.append("remediator / ").append(reference).append(": ")
        .append(ratio.map(value -> format("%.2fx", value)).orElse("n/a (the reference acknowledged nothing)"))
        .append('\n');
  }

  private static String ms(long nanos) {
    return format("%.2f", nanos / 1e6);
  }

  private static String seconds(Duration duration) {
    return Numbers.plain(duration.toMillis() / 1000.0) + " s";
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
