package dev.remediator.intake;

import dev.remediator.store.Database;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.StoreException;
import dev.remediator.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the webhook: request threads hand over parsed notifications and wait on a
 * future; one writer thread takes whatever has queued up and stores it in a single transaction,
 * so concurrent requests share one commit. A future completes only after that commit.
 *
 * <p>If a batch fails for a data reason, each notification is retried alone so that one bad
 * notification cannot fail its neighbours. If the store is down, every waiting request fails
 * with {@link StoreUnavailableException} and Alertmanager retries.
 */
public final class IntakeWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IntakeWriter.class);

  private final Database database;
  private final NotificationStore store;
  private final Runnable afterCommit;
  private final int maxBatch;
  private final BlockingQueue<Pending> queue;
  private final Thread thread;
  private volatile boolean running = true;

  public IntakeWriter(Database database, NotificationStore store, Runnable afterCommit, int maxBatch, int capacity) {
    this.database = database;
    this.store = store;
    this.afterCommit = afterCommit;
    this.maxBatch = maxBatch;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = new Thread(this::run, "remediator-intake-writer");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Queues {@code incoming}; the future completes once it is committed, or fails. */
  public CompletableFuture<StoredNotification> submit(IncomingNotification incoming) {
    CompletableFuture<StoredNotification> done = new CompletableFuture<>();
    if (!running) {
      done.completeExceptionally(new StoreUnavailableException("intake is shutting down", null));
    } else if (!queue.offer(new Pending(incoming, done))) {
      done.completeExceptionally(new StoreUnavailableException(
          "intake queue is full (" + queue.size() + " notifications waiting for the store)", null));
    }
    return done;
  }

  /** Notifications accepted but not yet committed. */
  public int queued() {
    return queue.size();
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        // Anything else (a driver's assertion on a dead connection, say) fails this batch only:
        // the writer thread must outlive it, or every later request would wait in vain.
        log.error("intake writer failed a batch of {} notifications", batch.size(), e);
        fail(batch, new StoreUnavailableException("the store failed: " + e, e));
      } finally {
        batch.clear();
      }
    }
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    fail(left, new StoreUnavailableException("intake stopped before storing this notification", null));
  }

  private void write(List<Pending> batch) {
    try {
      commit(batch);
    } catch (StoreException batchFailure) {
      if (batch.size() == 1) {
        batch.get(0).done().completeExceptionally(batchFailure);
        return;
      }
      log.warn("a batch of {} notifications was rejected ({}); storing them one by one",
          batch.size(), batchFailure.getMessage());
      for (Pending pending : batch) {
        try {
          commit(List.of(pending));
        } catch (RuntimeException single) {
          pending.done().completeExceptionally(single);
        }
      }
    } catch (RuntimeException unavailable) {
      fail(batch, unavailable);
    }
  }

  private void commit(List<Pending> batch) {
    List<IncomingNotification> notifications = batch.stream().map(Pending::incoming).toList();
    List<StoredNotification> stored = database.inTransaction(connection -> store.store(connection, notifications));
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).done().complete(stored.get(i));
    }
    afterCommit.run();
  }

  private static void fail(List<Pending> batch, RuntimeException cause) {
    for (Pending pending : batch) {
      pending.done().completeExceptionally(cause);
    }
  }

  /** Stops taking notifications, stores what is queued, then stops the writer thread. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Pending(IncomingNotification incoming, CompletableFuture<StoredNotification> done) {}
}
