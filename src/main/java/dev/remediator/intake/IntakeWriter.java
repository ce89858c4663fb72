package dev.remediator.intake;

import dev.remediator.alert.Alert;
import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditLog;
import dev.remediator.store.Database;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.StoreException;
import dev.remediator.store.StoreUnavailableException;
import dev.remediator.store.StoredNotification;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the webhook: request threads hand over parsed notifications and wait on a
 * future; one writer thread takes whatever has queued up and stores it in a single transaction,
 * so concurrent requests share one commit. A future completes only after that commit, on a
 * separate reply executor, so answering requests never holds up the next commit.
 *
 * <p>The queue is bounded by the bytes of the payloads waiting, not by their count, and a
 * notification whose requester has already been answered (it timed out) is dropped rather than
 * committed. Deadlocks and serialization failures are retried a few times; when they persist,
 * or the store is down, every waiting request fails with {@link StoreUnavailableException} and
 * Alertmanager retries. If a batch fails for a data reason, each notification is retried alone
 * so that one bad notification cannot fail its neighbours.
 */
public final class IntakeWriter implements AutoCloseable {
  /** The default budget for payloads waiting to be committed. */
  public static final long DEFAULT_BUDGET_BYTES = 64L * 1024 * 1024;
  static final int ATTEMPTS = 4;

  private static final Logger log = LoggerFactory.getLogger(IntakeWriter.class);
  private static final long PROBE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final int BUSY_BATCH = 4;
  private static final long BUSY_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final Database database;
  private final NotificationStore store;
  private final AuditLog audit;
  private final Runnable afterCommit;
  private final int maxBatch;
  private final long budgetBytes;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final ExecutorService replies;
  private final Thread thread;
  private volatile boolean running = true;
  /** When the oldest notification of the batch being committed was queued; 0 while idle. */
  private volatile long batchQueuedAt;
  private volatile String lastFailure;
  private volatile long lastAttemptAt = System.nanoTime();
  /** When the writer last committed a batch large enough to say requests queue up behind it; 0 if never. */
  private volatile long lastBusyAt;

  public IntakeWriter(Database database, NotificationStore store, AuditLog audit, Runnable afterCommit, int maxBatch,
                      long budgetBytes) {
    if (budgetBytes < 1) {
      throw new IllegalArgumentException("intake budget must be at least one byte, but was " + budgetBytes);
    }
    this.database = database;
    this.store = store;
    this.audit = audit;
    this.afterCommit = afterCommit;
    this.maxBatch = maxBatch;
    this.budgetBytes = budgetBytes;
    AtomicInteger replyThreads = new AtomicInteger();
    this.replies = Executors.newFixedThreadPool(2, runnable -> {
      Thread reply = new Thread(runnable, "remediator-intake-reply-" + replyThreads.incrementAndGet());
      reply.setDaemon(true);
      return reply;
    });
    this.thread = new Thread(this::run, "remediator-intake-writer");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Queues {@code incoming}; the future completes once it is committed, or fails. */
  public CompletableFuture<StoredNotification> submit(IncomingNotification incoming) {
    CompletableFuture<StoredNotification> done = new CompletableFuture<>();
    long bytes = weight(incoming);
    if (!running) {
      done.completeExceptionally(new StoreUnavailableException("intake is shutting down", null));
    } else if (!reserve(bytes)) {
      done.completeExceptionally(new StoreUnavailableException("intake queue is full (" + queuedBytes.get()
          + " bytes of notifications waiting for the store, budget " + budgetBytes + ")", null));
    } else {
      queue.add(new Pending(incoming, done, bytes, System.nanoTime()));
    }
    return done;
  }

  /**
   * Whether intake is saturated: within the last {@link #BUSY_WINDOW_NANOS}, a commit took
   * {@link #BUSY_BATCH} or more notifications at once, so requests are waiting on the writer.
   * Background work that shares the machine (deciding) can yield to it then.
   */
  public boolean busy() {
    return busyWithin(BUSY_WINDOW_NANOS);
  }

  boolean busyWithin(long windowNanos) {
    long at = lastBusyAt;
    return at != 0 && System.nanoTime() - at < windowNanos;
  }

  /** Notifications accepted but not yet taken by the writer. */
  public int queued() {
    return queue.size();
  }

  /**
   * Why a webhook could not be committed now, or empty when it could: requests have waited
   * longer than {@code deadline}, or the last commit attempt failed (until one succeeds or an
   * idle probe finds the store usable again).
   */
  public Optional<String> notReadyReason(Duration deadline) {
    long now = System.nanoTime();
    long oldest = batchQueuedAt;
    Pending head = queue.peek();
    if (head != null && (oldest == 0 || head.queuedAt() - oldest < 0)) {
      oldest = head.queuedAt();
    }
    if (oldest != 0 && now - oldest > deadline.toNanos()) {
      return Optional.of("intake requests have waited " + TimeUnit.NANOSECONDS.toMillis(now - oldest)
          + " ms for the store (deadline " + deadline.toMillis() + " ms)");
    }
    String failure = lastFailure;
    return failure == null ? Optional.empty() : Optional.of("the last commit attempt failed: " + failure);
  }

  private boolean reserve(long bytes) {
    while (true) {
      long current = queuedBytes.get();
      if (current + bytes > budgetBytes) {
        return false;
      }
      if (queuedBytes.compareAndSet(current, current + bytes)) {
        return true;
      }
    }
  }

  private static long weight(IncomingNotification incoming) {
    return Math.max(1, incoming.payload().length());
  }

  private void run() {
    List<Pending> taken = new ArrayList<>(maxBatch);
    while (running || !queue.isEmpty()) {
      List<Pending> batch = List.of();
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          probeIfFailed();
          continue;
        }
        taken.add(first);
        queue.drainTo(taken, maxBatch - 1);
        batch = unanswered(taken);
        if (batch.size() >= BUSY_BATCH) {
          lastBusyAt = System.nanoTime();
        }
        if (!batch.isEmpty()) {
          batchQueuedAt = batch.get(0).queuedAt();
          write(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        // Anything else (a driver's assertion on a dead connection, say) fails this batch only:
        // the writer thread must outlive it, or every later request would wait in vain.
        log.error("intake writer failed a batch of {} notifications", batch.size(), e);
        failed("the store failed unexpectedly");
        fail(batch, new StoreUnavailableException("the store failed: " + e, e));
      } finally {
        batchQueuedAt = 0;
        taken.clear();
      }
    }
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(pending -> queuedBytes.addAndGet(-pending.bytes()));
    fail(left, new StoreUnavailableException("intake stopped before storing this notification", null));
  }

  /** Frees the budget of {@code taken} and keeps those whose requester still waits for an answer. */
  private List<Pending> unanswered(List<Pending> taken) {
    List<Pending> waiting = new ArrayList<>(taken.size());
    for (Pending pending : taken) {
      queuedBytes.addAndGet(-pending.bytes());
      if (!pending.done().isDone()) {
        waiting.add(pending);
      }
    }
    if (waiting.size() < taken.size()) {
      log.warn("{} notifications were answered (timed out) before the store took them and are not stored",
          taken.size() - waiting.size());
    }
    return waiting;
  }

  private void write(List<Pending> batch) {
    try {
      commit(batch);
    } catch (StoreException batchFailure) {
      if (batch.size() == 1) {
        reject(batch.get(0), batchFailure);
        return;
      }
      log.warn("a batch of {} notifications was rejected ({}); storing them one by one",
          batch.size(), batchFailure.getMessage());
      for (Pending pending : batch) {
        try {
          commit(List.of(pending));
        } catch (StoreException single) {
          reject(pending, single);
        } catch (RuntimeException unavailable) {
          reply(pending, null, unavailable);
        }
      }
    } catch (RuntimeException unavailable) {
      fail(batch, unavailable);
    }
  }

  /** A single notification the store refused: bad data is the sender's 400, anything else our 503. */
  private void reject(Pending pending, StoreException failure) {
    log.warn("the store refused a notification from {} (SQL state {}): {}", pending.incoming().actor(),
        sqlState(failure), failure.getMessage());
    reply(pending, null, classify(failure));
  }

  /**
   * What a requester is told about a store failure: a data exception or a violated constraint
   * (SQL states 22xxx and 23xxx) is a notification the store can never take; anything else is the
   * store's fault, to be retried. Never the database's own words.
   */
  static RuntimeException classify(StoreException failure) {
    String state = sqlState(failure);
    if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
      return new PayloadException(400, "", "the store cannot take this notification's data; see the server log",
          failure);
    }
    return new StoreUnavailableException("the store failed to commit the notification", failure);
  }

  private void commit(List<Pending> batch) {
    List<IncomingNotification> notifications = batch.stream().map(Pending::incoming).toList();
    List<StoredNotification> stored = null;
    for (int attempt = 1; stored == null; attempt++) {
      lastAttemptAt = System.nanoTime();
      try {
        stored = database.inTransaction(connection -> {
          List<StoredNotification> rows = store.store(connection, notifications);
          audit.append(connection, receivedEvents(notifications, rows));
          return rows;
        });
      } catch (StoreException e) {
        if (!isTransient(e)) {
          lastFailure = null;
          throw e;
        }
        if (attempt == ATTEMPTS) {
          failed("transaction aborted " + ATTEMPTS + " times in a row (deadlock or serialization failure)");
          throw new StoreUnavailableException("the store aborted the transaction " + ATTEMPTS + " times", e);
        }
        log.debug("retrying a batch of {} notifications after SQL state {}", batch.size(), sqlState(e));
        pause(attempt);
      } catch (StoreUnavailableException e) {
        failed("the store is unavailable");
        throw e;
      }
    }
    lastFailure = null;
    for (int i = 0; i < batch.size(); i++) {
      reply(batch.get(i), stored.get(i), null);
    }
    afterCommit.run();
  }

  /** While the last attempt failed and nothing arrives, checks now and then whether a commit could go through. */
  private void probeIfFailed() {
    if (lastFailure == null || System.nanoTime() - lastAttemptAt < PROBE_EVERY_NANOS) {
      return;
    }
    lastAttemptAt = System.nanoTime();
    try {
      database.inTransaction(connection -> {
        store.probe(connection, 1);
        return null;
      });
      log.info("the store accepts commits again");
      lastFailure = null;
    } catch (RuntimeException e) {
      log.debug("store probe failed: {}", e.getMessage());
    }
  }

  private void failed(String reason) {
    lastFailure = reason;
  }

  private static boolean isTransient(StoreException e) {
    String state = sqlState(e);
    return "40001".equals(state) || "40P01".equals(state);
  }

  /** The SQL state of the first SQLException in {@code e}'s causes or their next exceptions. */
  static String sqlState(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql) {
        for (SQLException next = sql; next != null; next = next.getNextException()) {
          if (next.getSQLState() != null) {
            return next.getSQLState();
          }
        }
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }

  private static void pause(int attempt) {
    try {
      long millis = 10L * attempt * attempt;
      Thread.sleep(millis + ThreadLocalRandom.current().nextLong(millis + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while retrying", e);
    }
  }

  /** One received (new occurrence) or duplicate event per alert, in payload order. */
  private static List<AuditEvent> receivedEvents(List<IncomingNotification> notifications,
                                                 List<StoredNotification> stored) {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < notifications.size(); i++) {
      IncomingNotification incoming = notifications.get(i);
      List<Alert> alerts = incoming.notification().alerts();
      for (int a = 0; a < alerts.size(); a++) {
        Alert alert = alerts.get(a);
        boolean isNew = stored.get(i).isNew().get(a);
        events.add(AuditEvent.forNotification(incoming.receivedAt(),
            isNew ? AuditEvent.Kind.RECEIVED : AuditEvent.Kind.DUPLICATE, incoming.actor(), stored.get(i).id(), alert,
            alert.status().wireName(),
            Map.of("startsAt", alert.startsAt().toString(), "receiver", incoming.notification().receiver())));
      }
    }
    return events;
  }

  private void fail(List<Pending> batch, RuntimeException cause) {
    for (Pending pending : batch) {
      reply(pending, null, cause);
    }
  }

  /** Completes a requester's future on the reply executor, so its callbacks never run on the writer. */
  private void reply(Pending pending, StoredNotification stored, RuntimeException failure) {
    Runnable complete = failure == null
        ? () -> pending.done().complete(stored)
        : () -> pending.done().completeExceptionally(failure);
    try {
      replies.execute(complete);
    } catch (RejectedExecutionException stopped) {
      complete.run();
    }
  }

  /** Stops taking notifications, stores what is queued, answers, then stops the threads. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
      replies.shutdown();
      replies.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Pending(IncomingNotification incoming, CompletableFuture<StoredNotification> done, long bytes,
                         long queuedAt) {}
}
