package dev.remediator.engine;

import dev.remediator.action.ActionResult;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.Database;
import dev.remediator.store.RemediationQueue;
import dev.remediator.store.StoreException;
import dev.remediator.store.StoreUnavailableException;

/**
 * Runs the action only while its alert still fires: once a resolved notification for the same
 * occurrence is stored, the remediation is cancelled instead. When the store cannot say, the
 * attempt is retried later; nothing has reached the target, so that is safe.
 */
final class StillFiring implements ActionPipeline.Decorator {
  static final String RESOLVED = "alert resolved before the action started";

  private final Database database;
  private final RemediationQueue queue;

  StillFiring(Database database, RemediationQueue queue) {
    this.database = database;
    this.queue = queue;
  }

  @Override
  public ActionResult around(ClaimedRemediation claim, ActionPipeline.Step next) throws InterruptedException {
    boolean resolved;
    try {
      resolved = database.inTransaction(connection ->
          queue.isResolved(connection, claim.alert().alert().fingerprint(), claim.alert().alert().startsAt()));
    } catch (StoreException | StoreUnavailableException e) {
      return new ActionResult.Retryable("could not check that the alert still fires: " + e.getMessage(), e);
    }
    return resolved ? new ActionResult.Cancelled(RESOLVED) : next.run(claim);
  }
}
