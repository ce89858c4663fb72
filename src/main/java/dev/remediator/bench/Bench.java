package dev.remediator.bench;

import dev.remediator.config.Redaction;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;

/**
 * Runs one bench: checks that the target and the store answer, drives remediator (warm-up, then
 * the measured load), waits for the run's alerts to be decided and reads their figures from the
 * store; then, with {@code --reference}, drives the naive-insert endpoint and then the bare one
 * with the same load. remediator goes first and the references only once its alerts are decided,
 * so that its deciding does not compete with their load. Progress goes to {@code progress}.
 */
public final class Bench {
  private final BenchOptions options;
  private final Ticker ticker;
  private final Clock clock;
  private final PrintWriter progress;

  public Bench(BenchOptions options, Ticker ticker, Clock clock, PrintWriter progress) {
    this.options = options;
    this.ticker = ticker;
    this.clock = clock;
    this.progress = progress;
  }

  /** Runs the bench; throws BenchException when the target or the store cannot be reached at all. */
  public BenchReport run() throws InterruptedException {
    String runId = Notifications.newRunId();
    ExecutorService threads = Executors.newCachedThreadPool(named());
    try (Closer closer = new Closer()) {
      Optional<StoreProbe> probe = options.databaseUrl().map(url -> closer.add(StoreProbe.open(url)));
      HttpSender remediator =
          closer.add(new HttpSender(options.url(), options.token(), options.model().maxConnections()));
      remediator.unreachable().ifPresent(reason -> {
        throw new BenchException("cannot reach " + Redaction.url(options.url().toString()) + ": " + reason);
      });
      LoadResult measured = drive("remediator", remediator, runId, threads);
      if (measured.nothingAnswered()) {
        throw new BenchException("no answer from " + Redaction.url(options.url().toString()) + ": "
            + measured.errorsByKind());
      }
      Optional<StoreFigures> figures = Optional.empty();
      if (probe.isPresent()) {
        say("waiting up to " + options.settle().toSeconds()
            + " s for remediator to decide the run's alerts and start their actions");
        Duration waited = probe.get().settle(runId, options.settle(), ticker);
        figures = Optional.of(probe.get().figures(runId, waited));
      }
      Optional<BenchReport.References> references = Optional.empty();
      if (options.reference()) {
        ReferenceEndpoints endpoints = closer.add(ReferenceEndpoints.start(options.databaseUrl().orElseThrow(), clock));
        LoadResult naive = drive("naive insert", closer.add(sender(endpoints.naiveUrl())), Notifications.newRunId(),
            threads);
        LoadResult bare = drive("bare", closer.add(sender(endpoints.bareUrl())), Notifications.newRunId(), threads);
        references = Optional.of(new BenchReport.References(naive, bare));
      }
      return new BenchReport(options, runId, measured, figures, references);
    } finally {
      threads.shutdownNow();
      threads.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private HttpSender sender(HttpUrl url) {
    return new HttpSender(url, Optional.empty(), options.model().maxConnections());
  }

  /** Warms {@code name} up (with alerts of a run id of their own) and then measures it. */
  private LoadResult drive(String name, Sender sender, String runId, ExecutorService threads)
      throws InterruptedException {
    if (!options.warmup().isZero()) {
      say("warming up " + name + " for " + options.warmup().toMillis() / 1000.0 + " s");
      load(sender, notifications(Notifications.newRunId()), options.warmup(), threads);
    }
    say("measuring " + name + " for " + options.duration().toMillis() / 1000.0 + " s");
    return load(sender, notifications(runId), options.duration(), threads);
  }

  private Notifications notifications(String runId) {
    return new Notifications(runId, options.alertsPerNotification(), options.distinct(), clock);
  }

  private LoadResult load(Sender sender, Notifications bodies, Duration duration, ExecutorService threads)
      throws InterruptedException {
    LoadModel model = options.model();
    if (model instanceof LoadModel.Open open) {
      return new OpenLoop(ticker, threads, LoadModel.MAX_IN_FLIGHT).run(open.rate(), duration, bodies, sender);
    }
    return new ClosedLoop(ticker, threads).run(((LoadModel.Closed) model).connections(), duration, bodies, sender);
  }

  private void say(String line) {
    progress.println("remediator bench: " + line);
    progress.flush();
  }

  private static ThreadFactory named() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "remediator-bench-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
