package dev.remediator.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention on the embedded SQLite store, a fresh file per test. */
class SqliteRetentionTest extends RetentionContract {
  @TempDir
  Path dir;

  private Database database;

  @BeforeEach
  void open() {
    database = Database.open(Database.sqliteUrl(dir.resolve("data/remediator.db")), 4);
    database.migrate();
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Override
  Database database() {
    return database;
  }

  /**
   * The embedded store's process is the only one on its file and runs one transaction at a time,
   * so a retention batch never runs alongside other work: it waits for the transaction in progress.
   */
  @Test
  void deletingWaitsForTheTransactionInProgress() throws Exception {
    alertAt("old-done", OLD, true, null);
    CountDownLatch holding = new CountDownLatch(1);
    AtomicLong committedAt = new AtomicLong();
    CompletableFuture<Void> other = CompletableFuture.runAsync(() -> database.inTransaction(c -> {
      holding.countDown();
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      committedAt.set(System.nanoTime());
      return null;
    }));
    assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();

    int deleted = retention().deleteBatch();
    long deletedAt = System.nanoTime();

    other.get(5, TimeUnit.SECONDS);
    assertThat(deleted).isEqualTo(2);
    assertThat(committedAt.get()).isNotZero().isLessThan(deletedAt);
  }
}
