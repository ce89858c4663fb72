package dev.remediator.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Races as replicas run them: every task on its own thread, all released at the same moment, so
 * the store's locking (not the order the test started them in) decides who wins.
 */
public final class AtOnce {
  private static final long DEADLINE_SECONDS = 60;

  private AtOnce() {}

  /** One pass of a loop that reports how many items it handled (0 when it found nothing due). */
  public interface Step {
    int run() throws Exception;
  }

  /** Runs every task at once; their results in the order given. */
  public static <T> List<T> run(List<? extends Callable<T>> tasks) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      List<Future<T>> running = new ArrayList<>();
      for (Callable<T> task : tasks) {
        running.add(pool.submit(() -> {
          go.await();
          return task.call();
        }));
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> result : running) {
        results.add(result.get(DEADLINE_SECONDS, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Each replica repeats its step until it finds nothing due, all at once; the total they handled. */
  public static int drain(List<Step> replicas) throws Exception {
    List<Callable<Integer>> loops = new ArrayList<>();
    for (Step step : replicas) {
      loops.add(() -> {
        int handled = 0;
        for (int found; (found = step.run()) > 0; ) {
          handled += found;
        }
        return handled;
      });
    }
    return run(loops).stream().mapToInt(Integer::intValue).sum();
  }
}
