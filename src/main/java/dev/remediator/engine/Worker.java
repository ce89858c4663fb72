package dev.remediator.engine;

import dev.remediator.action.Action;
import dev.remediator.action.ActionRegistry;
import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditEvent.Kind;
import dev.remediator.audit.AuditLog;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.Target;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.Database;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationStore;
import dev.remediator.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due remediations from the store and runs their actions on a bounded pool; a finished
 * action calls {@code slotFreed} so the claimer can take the next one at once. A claim
 * re-checks that the alert still fires; a retryable failure goes back in the queue with backoff
 * up to {@link #MAX_ATTEMPTS}; everything is recorded on the remediation row and in the audit log.
 */
public final class Worker implements AutoCloseable {
  public static final int MAX_ATTEMPTS = 3;
  private static final Duration FIRST_RETRY = Duration.ofSeconds(10);
  private static final Duration LEASE = Duration.ofMinutes(65);
  private static final int OUTPUT_LIMIT = 16 * 1024;
  private static final int RECORD_ATTEMPTS = 8;
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  private final Database database;
  private final RemediationStore remediations;
  private final ActionRegistry actions;
  private final Supplier<RuleSet> rules;
  private final AuditLog audit;
  private final Clock clock;
  private final RemediatorMetrics metrics;
  private final String workerId;
  private final int concurrency;
  private final Runnable slotFreed;
  private final ExecutorService pool;
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();

  public Worker(Database database, RemediationStore remediations, ActionRegistry actions, Supplier<RuleSet> rules,
                AuditLog audit, Clock clock, RemediatorMetrics metrics, String workerId, int concurrency,
                Runnable slotFreed) {
    this.database = database;
    this.remediations = remediations;
    this.actions = actions;
    this.rules = rules;
    this.audit = audit;
    this.clock = clock;
    this.metrics = metrics;
    this.workerId = workerId;
    this.concurrency = concurrency;
    this.slotFreed = slotFreed;
    AtomicInteger threads = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(concurrency, runnable -> {
      Thread thread = new Thread(runnable, "remediator-worker-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Marks work left running by a crashed or stopped replica, whose lease ran out, interrupted. */
  public int recoverExpired() {
    return interruptRunning(clock.instant());
  }

  /** Marks everything still running interrupted: only right when no other process shares the store. */
  public int recoverAllRunning() {
    return interruptRunning(clock.instant().plus(LEASE).plusSeconds(1));
  }

  private int interruptRunning(Instant leaseEndsBefore) {
    Instant now = clock.instant();
    String reason = "left running when remediator stopped or crashed; re-check before acting again";
    return database.inTransaction(connection -> {
      List<Long> ids = remediations.interruptExpired(connection, leaseEndsBefore, now, reason);
      List<AuditEvent> events = new ArrayList<>();
      for (long id : ids) {
        events.add(new AuditEvent(now, Kind.INTERRUPTED, workerId, null, null, id, null, null, null, null, null,
            RemediationState.INTERRUPTED.wireName(), Map.of("reason", reason)));
      }
      audit.append(connection, events);
      return ids.size();
    });
  }

  /** Claims as many due remediations as there are free slots and starts them; returns how many. */
  public int claimAndStart() {
    int free = concurrency - inFlight.size();
    if (free <= 0) {
      return 0;
    }
    Instant now = clock.instant();
    List<ClaimedRemediation> toRun = database.inTransaction(connection -> {
      List<ClaimedRemediation> claimed = remediations.claimDue(connection, database.dialect(), workerId, now, LEASE, free);
      List<ClaimedRemediation> running = new ArrayList<>();
      List<AuditEvent> events = new ArrayList<>();
      for (ClaimedRemediation c : claimed) {
        if (remediations.isResolved(connection, c.alert().alert().fingerprint(), c.alert().alert().startsAt())) {
          String reason = "alert resolved before the action started";
          remediations.finish(connection, c.id(), RemediationState.CANCELLED, now, null, null, reason);
          events.add(event(now, Kind.CANCELLED, c, RemediationState.CANCELLED.wireName(), Map.of("reason", reason)));
        } else {
          Map<String, Object> detail = new LinkedHashMap<>();
          detail.put("attempt", c.attempt());
          detail.put("params", c.params());
          events.add(event(now, Kind.STARTED, c, "started", detail));
          running.add(c);
        }
      }
      audit.append(connection, events);
      return running;
    });
    for (ClaimedRemediation c : toRun) {
      inFlight.add(c.id());
      pool.execute(() -> {
        try {
          run(c);
        } catch (RuntimeException | LinkageError e) {
          log.atError().addKeyValue("remediation", c.id()).addKeyValue("rule", c.rule()).setCause(e)
              .log("remediation failed outside its action; its lease will expire and mark it interrupted");
        } finally {
          inFlight.remove(c.id());
          slotFreed.run();
        }
      });
    }
    return toRun.size();
  }

  private void run(ClaimedRemediation c) {
    Instant started = clock.instant();
    ActionResult result;
    try {
      result = execute(c);
    } catch (InterruptedException e) {
      // Record first (the store client refuses work on an interrupted thread), then keep the flag.
      record(c, started, new ActionResult.Permanent("interrupted: remediator is shutting down", e), true);
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      result = new ActionResult.Permanent("action failed unexpectedly: " + e, e);
    }
    record(c, started, result, false);
  }

  private ActionResult execute(ClaimedRemediation c) throws InterruptedException {
    Optional<Action> action = actions.find(c.action());
    if (action.isEmpty()) {
      return new ActionResult.Permanent("action " + c.action() + " is not available", null);
    }
    RuleSet ruleSet = rules.get();
    Target target = ruleSet.targets().get(c.target());
    if (target == null) {
      return new ActionResult.Permanent("target " + c.target() + " is no longer defined in " + ruleSet.source(), null);
    }
    return action.get().execute(new ActionRequest(c.id(), c.rule(), target, c.params(), c.alert().alert()));
  }

  private void record(ClaimedRemediation c, Instant started, ActionResult result, boolean interrupted) {
    Instant now = clock.instant();
    Duration took = Duration.between(started, now);
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("attempt", c.attempt());
    detail.put("durationMs", took.toMillis());
    RemediationState state;
    Kind kind;
    String output = null;
    String error = null;
    Instant retryAt = null;
    if (result instanceof ActionResult.Succeeded succeeded) {
      state = RemediationState.SUCCEEDED;
      kind = Kind.SUCCEEDED;
      output = cut(succeeded.output());
      detail.put("output", output);
    } else if (result instanceof ActionResult.Retryable retryable && c.attempt() < MAX_ATTEMPTS && !interrupted) {
      state = RemediationState.PENDING;
      kind = Kind.RETRY_SCHEDULED;
      error = cut(retryable.reason());
      retryAt = now.plus(FIRST_RETRY.multipliedBy(1L << (c.attempt() - 1)));
      detail.put("error", error);
      detail.put("retryAt", retryAt.toString());
    } else {
      state = interrupted ? RemediationState.INTERRUPTED : RemediationState.FAILED;
      kind = interrupted ? Kind.INTERRUPTED : Kind.FAILED;
      error = cut(reason(result));
      detail.put("error", error);
    }
    String finalOutput = output;
    String finalError = error;
    Instant finalRetryAt = retryAt;
    AuditEvent event = event(now, kind, c, state.wireName(), detail);
    persist(c, state, () -> database.inTransaction(connection -> {
      if (finalRetryAt != null) {
        remediations.reschedule(connection, c.id(), finalRetryAt, finalError);
      } else {
        remediations.finish(connection, c.id(), state, now, took, finalOutput, finalError);
      }
      audit.append(connection, List.of(event));
      return null;
    }));
    metrics.action(c.action(), c.target(), kind.wireName(), took);
    log.atInfo().addKeyValue("remediation", c.id()).addKeyValue("rule", c.rule()).addKeyValue("action", c.action())
        .addKeyValue("target", c.target()).addKeyValue("fingerprint", c.alert().alert().fingerprint())
        .addKeyValue("outcome", kind.wireName()).addKeyValue("durationMs", took.toMillis())
        .log("action {}", kind.wireName());
  }

  /**
   * Records an outcome, retrying while the store is unreachable: the action has already acted,
   * so losing its outcome would later show it as interrupted. Gives up after
   * {@link #RECORD_ATTEMPTS}; the lease then expires and recovery marks it interrupted.
   */
  private void persist(ClaimedRemediation c, RemediationState state, Runnable write) {
    long pauseMillis = 500;
    for (int attempt = 1; ; attempt++) {
      try {
        write.run();
        return;
      } catch (StoreUnavailableException e) {
        if (attempt == RECORD_ATTEMPTS) {
          log.atError().addKeyValue("remediation", c.id()).addKeyValue("rule", c.rule()).setCause(e)
              .log("could not record the outcome {}; the lease will expire and mark it interrupted", state);
          return;
        }
        log.atWarn().addKeyValue("remediation", c.id()).addKeyValue("attempt", attempt)
            .log("store unavailable while recording outcome {}; retrying", state);
        try {
          Thread.sleep(pauseMillis);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        pauseMillis = Math.min(pauseMillis * 2, 8_000);
      } catch (RuntimeException e) {
        log.atError().addKeyValue("remediation", c.id()).addKeyValue("rule", c.rule()).setCause(e)
            .log("could not record the outcome {}; the lease will expire and mark it interrupted", state);
        return;
      }
    }
  }

  private static String reason(ActionResult result) {
    if (result instanceof ActionResult.Retryable retryable) {
      return retryable.reason() + " (gave up after " + MAX_ATTEMPTS + " attempts)";
    }
    if (result instanceof ActionResult.Permanent permanent) {
      return permanent.reason();
    }
    return "";
  }

  private static String cut(String text) {
    if (text == null || text.length() <= OUTPUT_LIMIT) {
      return text;
    }
    return text.substring(0, OUTPUT_LIMIT) + "... (" + (text.length() - OUTPUT_LIMIT) + " more characters)";
  }

  private AuditEvent event(Instant now, Kind kind, ClaimedRemediation c, String outcome, Map<String, Object> detail) {
    return new AuditEvent(now, kind, workerId, c.alert().notificationId(), c.alert().id(), c.id(),
        c.alert().alert().fingerprint(), c.alert().alert().alertname(), c.rule(), c.action(), c.target(), outcome,
        detail);
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
    }
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(30));
  }
}
