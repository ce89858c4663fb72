package dev.remediator.engine;

import dev.remediator.store.Database;
import dev.remediator.store.RetentionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One step of the retention loop: deletes a small batch of notifications and alerts older than
 * the retention, in its own short transaction, so deleting a backlog never holds locks for long.
 * The loop calls it again at once while it finds rows, and hourly otherwise.
 */
public final class Retention {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  public static final int BATCH = 500;

  private final Database database;
  private final RetentionStore store;
  private final Clock clock;
  private final Duration keep;

  public Retention(Database database, RetentionStore store, Clock clock, Duration keep) {
    this.database = database;
    this.store = store;
    this.clock = clock;
    this.keep = keep;
  }

  /** Deletes one batch; returns the rows deleted (0 when nothing is due or another replica is at it). */
  public int deleteBatch() {
    Optional<RetentionStore.Deleted> deleted = database.inTransaction(
        connection -> store.deleteBatch(connection, clock.instant().minus(keep), BATCH));
    int total = deleted.map(RetentionStore.Deleted::total).orElse(0);
    if (total > 0) {
      log.atInfo().addKeyValue("alerts", deleted.get().alerts())
          .addKeyValue("notifications", deleted.get().notifications())
          .log("deleted stored alerts and notifications older than {}", keep);
    }
    return total;
  }
}
