package dev.remediator.action.railway;

import dev.remediator.action.Pinning.PinException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a Railway rollback goes from and to: from the service's latest deployment, to the newest
 * older one that once ran and that Railway allows rolling back to ({@code canRollback}). Railway
 * keeps one running deployment per service and marks the ones a newer deployment replaced
 * {@code REMOVING}, then {@code REMOVED}; those are the usual targets of a rollback, as long as
 * they are within the plan's retention ({@code canRollback}). Deployments that never came up
 * ({@code FAILED}), that crashed ({@code CRASHED}), or that are still on their way (building,
 * queued, waiting for approval...) are never chosen, nor is any status this list does not know.
 */
final class RollbackChoice {
  /** The statuses of a deployment that came up and ran. */
  static final Set<String> RAN = Set.of("SUCCESS", "SLEEPING", "REMOVING", "REMOVED");
  private static final int EXPLAINED = 5;

  private RollbackChoice() {}

  /** The choice among {@code newestFirst}, the service's deployments. */
  record Choice(Deployment from, Deployment to) {}

  static Choice choose(ServiceRef ref, List<Deployment> newestFirst) throws PinException {
    if (newestFirst.isEmpty()) {
      throw new PinException(ref + " has no deployments to roll back");
    }
    Deployment latest = newestFirst.get(0);
    List<String> passed = new ArrayList<>();
    for (Deployment older : newestFirst.subList(1, newestFirst.size())) {
      if (!older.createdAt().isBefore(latest.createdAt())) {
        passed.add(older.id() + " (" + older.status() + ", not older than the latest)");
      } else if (!RAN.contains(older.status())) {
        passed.add(older.id() + " (" + older.status() + ")");
      } else if (!older.canRollback()) {
        passed.add(older.id() + " (" + older.status() + ", Railway does not allow rolling back to it)");
      } else {
        return new Choice(latest, older);
      }
    }
    if (passed.isEmpty()) {
      throw new PinException(ref + " has only its latest deployment " + latest.id() + "; there is nothing older to roll back to");
    }
    String explained = String.join(", ", passed.subList(0, Math.min(EXPLAINED, passed.size())))
        + (passed.size() > EXPLAINED ? " and " + (passed.size() - EXPLAINED) + " more" : "");
    throw new PinException("no deployment of " + ref + " older than the latest, " + latest.id()
        + ", can be rolled back to; passed over " + explained);
  }
}
