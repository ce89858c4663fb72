package dev.remediator.engine;

import dev.remediator.action.ActionResult;
import dev.remediator.resilience.Deadlines;
import dev.remediator.rules.PromDuration;
import dev.remediator.store.ClaimedRemediation;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A backstop for actions that overrun their deadline ({@link Deadlines}, the same one the lease
 * follows): runs the rest of the chain on its own thread and, once the deadline plus a grace has
 * passed, interrupts it and answers with a permanent failure (whether the action acted is
 * unknown, so it is not retried). Interrupting the waiting worker (shutdown) interrupts the action too.
 */
final class TimeLimit implements ActionPipeline.Decorator, AutoCloseable {
  static final Duration GRACE = Duration.ofSeconds(10);

  private final Function<ClaimedRemediation, Duration> deadlines;
  private final Duration grace;
  private final ExecutorService threads;

  TimeLimit(Function<ClaimedRemediation, Duration> deadlines) {
    this(deadlines, GRACE);
  }

  /** {@code grace}: how long past its deadline an action may run before it is interrupted. */
  TimeLimit(Function<ClaimedRemediation, Duration> deadlines, Duration grace) {
    this.deadlines = deadlines;
    this.grace = grace;
    AtomicInteger count = new AtomicInteger();
    this.threads = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "remediator-action-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public ActionResult around(ClaimedRemediation claim, ActionPipeline.Step next) throws InterruptedException {
    Duration limit = deadlines.apply(claim).plus(grace);
    Future<ActionResult> running = threads.submit(() -> next.run(claim));
    try {
      return running.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      running.cancel(true);
      return new ActionResult.Permanent("still running after its time limit of " + PromDuration.format(limit)
          + "; interrupted", null);
    } catch (InterruptedException e) {
      running.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      return new ActionResult.Permanent("action failed unexpectedly: " + cause, cause);
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
