package dev.remediator.engine;

import dev.remediator.store.Database;
import dev.remediator.store.FollowUp;
import dev.remediator.store.OutboxStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The one way a follow-up loop takes work from the outbox: claims a small batch of due
 * follow-ups of one kind under a lease in its own short transaction, then hands each on outside
 * it, so a slow check or message never holds the outbox locked and an unfinished claim returns
 * to the pool when its lease ends.
 */
record DueFollowUps(Database database, OutboxStore outbox, FollowUp.Kind kind, String workerId, Duration lease,
                    int batch) {

  /** What a loop does with one claimed follow-up. */
  interface Handler {
    void handle(FollowUp followUp) throws InterruptedException;
  }

  /** Claims the follow-ups due at {@code now} and hands each to {@code handler}; returns how many it claimed. */
  int drain(Instant now, Handler handler) throws InterruptedException {
    List<FollowUp> due = database.inTransaction(connection ->
        outbox.claimDue(connection, database.dialect(), kind, workerId, now, lease, batch));
    for (FollowUp followUp : due) {
      handler.handle(followUp);
    }
    return due.size();
  }
}
