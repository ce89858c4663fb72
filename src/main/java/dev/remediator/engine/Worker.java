package dev.remediator.engine;

import dev.remediator.action.ActionResult;
import dev.remediator.action.TargetClients;
import dev.remediator.audit.AuditLog;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.resilience.Backoff;
import dev.remediator.resilience.Breakers;
import dev.remediator.resilience.RetryPolicy;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.BreakerStore;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.Database;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.RemediationQueue;
import dev.remediator.store.SilenceStore;
import dev.remediator.upstream.AlertmanagerClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs claimed remediations on a bounded pool: claims as many as there are free slots from the
 * {@link WorkQueue}, runs each through the {@link ActionPipeline} and hands the result to the
 * {@link OutcomeRecorder}; a finished action calls {@code slotFreed} so the claimer can take the
 * next one at once. {@link #renewLeases()} keeps the leases of running actions alive. While
 * remediator is paused it claims nothing: queued remediations stay pending and run after the
 * resume, if their alerts still fire.
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  private final WorkQueue queue;
  private final ActionPipeline pipeline;
  private final OutcomeRecorder recorder;
  private final List<AutoCloseable> closeAfterShutdown;
  private final Clock clock;
  private final int concurrency;
  private final Runnable slotFreed;
  private final BooleanSupplier paused;
  private final ExecutorService pool;
  private final Map<Long, ClaimedRemediation> inFlight = new ConcurrentHashMap<>();

  public Worker(WorkQueue queue, ActionPipeline pipeline, OutcomeRecorder recorder, List<AutoCloseable> closeAfterShutdown,
                Clock clock, int concurrency, Runnable slotFreed, BooleanSupplier paused) {
    this.queue = queue;
    this.pipeline = pipeline;
    this.recorder = recorder;
    this.closeAfterShutdown = List.copyOf(closeAfterShutdown);
    this.clock = clock;
    this.concurrency = concurrency;
    this.slotFreed = slotFreed;
    this.paused = paused;
    AtomicInteger threads = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(concurrency, runnable -> {
      Thread thread = new Thread(runnable, "remediator-worker-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The worker of the full {@code create} without Alertmanager. */
  public static Worker create(Database database, TargetClients actions, Supplier<RuleSet> rules,
                              AuditLog audit, Clock clock, RemediatorMetrics metrics, String workerId,
                              int concurrency, Runnable slotFreed, KillSwitch killSwitch) {
    return create(database, actions, rules, audit, clock, metrics, workerId, concurrency, slotFreed, killSwitch,
        new Silences(database, new SilenceStore(), audit, Optional.empty(), rules, clock, workerId), Optional.empty());
  }

  /**
   * The worker with the standard chain around every action, outermost first: still firing (also
   * asking {@code alertmanager}, when there is one), the breakers (so a refused call never holds a
   * silence), the rule's silence, then the time limit at the claim's deadline. The bulkhead per
   * target is kept by the claim itself, and this bounded pool is the one per replica.
   * {@code actions} runs an action on a target of the rules in force; nothing is claimed while
   * {@code killSwitch} is paused; {@code silences} are released when an outcome ends a remediation.
   */
  public static Worker create(Database database, TargetClients actions, Supplier<RuleSet> rules,
                              AuditLog audit, Clock clock, RemediatorMetrics metrics, String workerId,
                              int concurrency, Runnable slotFreed, KillSwitch killSwitch, Silences silences,
                              Optional<AlertmanagerClient> alertmanager) {
    RemediationQueue remediations = new RemediationQueue();
    OutboxStore outbox = new OutboxStore();
    Breakers breakers = new Breakers(new BreakerStore(), audit);
    WorkQueue queue = new WorkQueue(database, remediations, outbox, audit, rules, clock, workerId);
    TimeLimit timeLimit = new TimeLimit(queue::deadline);
    ActionPipeline pipeline = new ActionPipeline(List.of(
        new StillFiring(database, remediations, alertmanager, audit, clock, workerId),
        new BreakerCheck(database, breakers, outbox, rules, clock, workerId),
        silences.decorator(),
        timeLimit), new RunAction(actions));
    return new Worker(queue, pipeline,
        new OutcomeRecorder(database, remediations, outbox, audit, breakers, rules, clock, metrics, workerId,
            new RetryPolicy(Backoff.standard()), Optional.of(silences)),
        List.of(timeLimit), clock, concurrency, slotFreed, () -> killSwitch.recent().isPresent());
  }

  public WorkQueue queue() {
    return queue;
  }

  /** Claims as many due remediations as there are free slots and starts them; returns how many (none while paused). */
  public int claimAndStart() {
    int free = concurrency - inFlight.size();
    if (free <= 0 || paused.getAsBoolean()) {
      return 0;
    }
    List<ClaimedRemediation> claimed = queue.claim(free);
    for (ClaimedRemediation c : claimed) {
      inFlight.put(c.id(), c);
      pool.execute(() -> {
        try {
          run(c);
        } catch (RuntimeException | LinkageError e) {
          log.atError().addKeyValue("remediation", c.id()).addKeyValue("rule", c.rule()).setCause(e)
              .log("remediation failed outside its action; its lease will run out and mark it interrupted");
        } finally {
          inFlight.remove(c.id());
          slotFreed.run();
        }
      });
    }
    return claimed.size();
  }

  /** Extends the leases of the actions running here; called every {@link Leases#RENEW_EVERY}. */
  public void renewLeases() {
    queue.renew(List.copyOf(inFlight.values()));
  }

  private void run(ClaimedRemediation c) {
    Instant started = clock.instant();
    ActionResult result;
    try {
      result = pipeline.run(c);
    } catch (InterruptedException e) {
      // Record first (the store client refuses work on an interrupted thread), then keep the flag.
      recorder.record(c, started, new ActionResult.Permanent("interrupted: remediator is shutting down", e), true);
      Thread.currentThread().interrupt();
      return;
    }
    recorder.record(c, started, result, false);
  }

  /**
   * Lets running actions finish for up to {@code grace}, then interrupts them; an interrupted
   * action is recorded as interrupted rather than left running.
   */
  public void shutdown(Duration grace) {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("{} actions still running after {}; interrupting them", inFlight.size(), grace);
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      for (AutoCloseable resource : closeAfterShutdown) {
        try {
          resource.close();
        } catch (Exception e) {
          log.warn("could not close {}: {}", resource, e.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(30));
  }
}
