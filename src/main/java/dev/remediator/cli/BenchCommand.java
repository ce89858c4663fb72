package dev.remediator.cli;

import dev.remediator.bench.Bench;
import dev.remediator.bench.BenchException;
import dev.remediator.bench.BenchOptions;
import dev.remediator.bench.BenchReport;
import dev.remediator.bench.JsonReport;
import dev.remediator.bench.LoadModel;
import dev.remediator.bench.TextReport;
import dev.remediator.bench.Ticker;
import dev.remediator.config.ReadFailure;
import dev.remediator.rules.PromDuration;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import okhttp3.HttpUrl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: drives a running server's webhook with valid Alertmanager notifications and
 * prints throughput, acknowledgement latency and errors; with a database URL also how long
 * deciding and acting took, and with {@code --reference} the same load against two reference
 * endpoints. Exits 0 when the run completed (HTTP errors are reported, not fatal), 1 when the
 * target or the store could not be reached, 2 for bad flags.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Drive a running server with Alertmanager notifications and print throughput and latency.",
        "Give --rate R (open model: a fixed schedule, latency from each send's scheduled time) or",
        "--connections C (closed model: C senders, each sending again once answered)."},
    footerHeading = "%nExit status:%n",
    footer = {"  0 the run completed (HTTP errors are in the report), 1 the target or the store could not be",
        "  reached, 2 bad flags."})
public final class BenchCommand implements Callable<Integer> {
  /** Exit status for bad flags, as for picocli's own usage errors. */
  static final int USAGE = 2;

  @Spec
  CommandSpec spec;

  @Option(names = "--url", defaultValue = "http://127.0.0.1:9095/webhook",
      description = "the webhook to drive (default ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--token", description = "bearer token the webhook expects (REMEDIATOR_WEBHOOK_TOKEN of the server)")
  String token;

  @Option(names = "--token-file", description = "file holding the token instead")
  Path tokenFile;

  @Option(names = "--rate", description = "open model: notifications per second, on a fixed schedule")
  Double rate;

  @Option(names = "--connections", description = "closed model: senders, each waiting for its answer")
  Integer connections;

  @Option(names = "--duration", defaultValue = "10s",
      description = "measured load, e.g. 10s (default ${DEFAULT-VALUE})")
  String duration;

  @Option(names = "--warmup", defaultValue = "2s",
      description = "load before measuring, not counted (default ${DEFAULT-VALUE}; 0 for none)")
  String warmup;

  @Option(names = "--alerts-per-notification", defaultValue = "1",
      description = "alerts in each notification (default ${DEFAULT-VALUE})")
  int alertsPerNotification;

  @Option(names = "--distinct", description = "draw fingerprints from a pool of N, so that some alerts are "
      + "duplicates (default: every alert is new)")
  Integer distinct;

  @Option(names = "--database-url", description = "remediator's store (jdbc:postgresql:... or jdbc:sqlite:...): "
      + "report alert-to-decision and alert-to-action-start latency of the run's alerts")
  String databaseUrl;

  @Option(names = "--settle", defaultValue = "30s",
      description = "with --database-url: how long to wait after the load for every alert to be decided "
          + "(default ${DEFAULT-VALUE})")
  String settle;

  @Option(names = "--reference", description = "also run the same load against a bare and a naive-insert endpoint "
      + "in this process, on the same database, and print remediator's throughput as a ratio of theirs")
  boolean reference;

  @Option(names = "--json", description = "print one JSON document instead of the table")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BenchOptions options;
    try {
      options = options();
    } catch (IllegalArgumentException e) {
      err.println("remediator bench: " + e.getMessage());
      spec.commandLine().usage(err);
      err.flush();
      return USAGE;
    }
    StandardError.takeLogs();
    BenchReport report;
    try {
      report = new Bench(options, Ticker.SYSTEM, Clock.systemUTC(), err).run();
    } catch (BenchException e) {
      err.println("remediator bench: " + e.getMessage());
      err.flush();
      return 1;
    }
    out.print(json ? JsonReport.render(report) + System.lineSeparator() : TextReport.render(report));
    out.flush();
    return 0;
  }

  /** The flags, checked; a bad one is an IllegalArgumentException whose message names it. */
  BenchOptions options() {
    if (rate != null && connections != null) {
      throw new IllegalArgumentException("give --rate (open model) or --connections (closed model), not both");
    }
    if (rate == null && connections == null) {
      throw new IllegalArgumentException("give --rate R (open model) or --connections C (closed model)");
    }
    LoadModel model = rate != null ? new LoadModel.Open(rate) : new LoadModel.Closed(connections);
    if (distinct != null && distinct < 1) {
      throw new IllegalArgumentException("--distinct must be at least 1, but was " + distinct);
    }
    return new BenchOptions(webhookUrl(), token(), model, duration("--duration", duration),
        duration("--warmup", warmup), alertsPerNotification,
        distinct == null ? OptionalInt.empty() : OptionalInt.of(distinct), Optional.ofNullable(databaseUrl),
        reference, duration("--settle", settle));
  }

  private HttpUrl webhookUrl() {
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      throw new IllegalArgumentException("--url must be an http:// or https:// URL, but was \"" + url + "\"");
    }
    return parsed;
  }

  private Optional<String> token() {
    if (token != null && tokenFile != null) {
      throw new IllegalArgumentException("give --token or --token-file, not both");
    }
    if (tokenFile == null) {
      return Optional.ofNullable(token).filter(value -> !value.isEmpty());
    }
    try {
      String contents = Files.readString(tokenFile).strip();
      if (contents.isEmpty()) {
        throw new IllegalArgumentException("--token-file " + tokenFile + " is empty");
      }
      return Optional.of(contents);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --token-file " + tokenFile + ": " + ReadFailure.describe(e), e);
    }
  }

  private static Duration duration(String flag, String value) {
    try {
      return PromDuration.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
    }
  }
}
