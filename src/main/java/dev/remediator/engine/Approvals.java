package dev.remediator.engine;

import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditLog;
import dev.remediator.store.ApprovalOutcome;
import dev.remediator.store.Database;
import dev.remediator.store.RemediationRef;
import dev.remediator.store.RemediationStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Operators approving or rejecting a remediation that waits for approval: the state change and
 * its audit event (who, and why if they said) commit together or not at all. An approved
 * remediation becomes pending and the worker is woken to claim it; a rejected one never runs.
 * One whose approval has run out is expired first, in the same transaction, so it can be
 * neither approved nor rejected once its {@code approval_ttl} has passed.
 */
public final class Approvals {
  private final Database database;
  private final RemediationStore remediations;
  private final AuditLog audit;
  private final Clock clock;
  private final ApprovalExpiry expiry;
  private final Runnable onApproved;

  public Approvals(Database database, RemediationStore remediations, AuditLog audit, ApprovalExpiry expiry,
                   Clock clock, Runnable onApproved) {
    this.database = database;
    this.expiry = expiry;
    this.remediations = remediations;
    this.audit = audit;
    this.clock = clock;
    this.onApproved = onApproved;
  }

  /** Approves remediation {@code id} for {@code actor}; {@code reason} may be null. */
  public ApprovalOutcome approve(long id, String actor, String reason) {
    Instant at = clock.instant();
    ApprovalOutcome outcome = database.inTransaction(connection -> {
      expiry.expireIfDue(connection, id, at);
      ApprovalOutcome result = remediations.approve(connection, id, at, stored("approved", actor, reason));
      if (result instanceof ApprovalOutcome.Moved moved) {
        audit.append(connection, List.of(event(at, AuditEvent.Kind.APPROVED, actor, moved, "approved", reason)));
      }
      return result;
    });
    if (outcome instanceof ApprovalOutcome.Moved) {
      onApproved.run();
    }
    return outcome;
  }

  /** Rejects remediation {@code id} for {@code actor}; {@code reason} may be null. */
  public ApprovalOutcome reject(long id, String actor, String reason) {
    Instant at = clock.instant();
    return database.inTransaction(connection -> {
      expiry.expireIfDue(connection, id, at);
      ApprovalOutcome result = remediations.reject(connection, id, at, stored("rejected", actor, reason));
      if (result instanceof ApprovalOutcome.Moved moved) {
        audit.append(connection, List.of(event(at, AuditEvent.Kind.REJECTED, actor, moved, "rejected", reason)));
      }
      return result;
    });
  }

  private static String stored(String verb, String actor, String reason) {
    return verb + " by " + actor + (reason == null ? "" : ": " + reason);
  }

  private static AuditEvent event(Instant at, AuditEvent.Kind kind, String actor, ApprovalOutcome.Moved moved,
                                  String outcome, String reason) {
    RemediationRef r = moved.remediation();
    return new AuditEvent(at, kind, actor, null, moved.alertId(), r.id(), moved.fingerprint(), moved.alertname(),
        r.rule(), r.action(), r.target(), outcome, reason == null ? Map.of() : Map.of("reason", reason));
  }
}
