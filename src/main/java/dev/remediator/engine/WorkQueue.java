package dev.remediator.engine;

import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditEvent.Kind;
import dev.remediator.audit.AuditLog;
import dev.remediator.resilience.Bulkheads;
import dev.remediator.resilience.Deadlines;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.Database;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.RemediationQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remediation queue as one worker sees it: claim due work with a short lease (audited as
 * started), never past a target's bulkhead, renew the leases of work in flight, and sweep the
 * expired leases of any replica, marking that work interrupted and, in the same transaction,
 * escalating or re-checking it ({@link Interruptions}): whether the action acted is unknown, so it
 * is never blindly run again. Every replica sweeps every {@link Leases#SWEEP_EVERY}, so work of a
 * dead replica is interrupted at most {@link Leases#MAX_LEASE} plus one sweep after its last renewal.
 */
public final class WorkQueue {
  static final String SWEPT = "its lease ran out: the replica running it stopped or crashed; "
      + "re-check before acting again";
  private static final String LEFT_RUNNING =
      "left running when remediator stopped or crashed; re-check before acting again";
  /** Later than any lease, and still a time both stores can hold. */
  private static final Instant EVERY_LEASE = Instant.parse("9999-12-31T00:00:00Z");
  private static final int SWEEP_BATCH = 100;
  private static final Logger log = LoggerFactory.getLogger(WorkQueue.class);

  private final Database database;
  private final RemediationQueue queue;
  private final AuditLog audit;
  private final Clock clock;
  private final String workerId;
  private final Supplier<RuleSet> rules;
  private final Deadlines deadlines;
  private final Bulkheads bulkheads;
  private final Interruptions interruptions;

  public WorkQueue(Database database, RemediationQueue queue, OutboxStore outbox, AuditLog audit,
                   Supplier<RuleSet> rules, Clock clock, String workerId) {
    this.database = database;
    this.queue = queue;
    this.audit = audit;
    this.clock = clock;
    this.workerId = workerId;
    this.rules = rules;
    this.deadlines = new Deadlines(rules);
    this.bulkheads = new Bulkheads(rules);
    this.interruptions = new Interruptions(queue, outbox, workerId);
  }

  public String workerId() {
    return workerId;
  }

  /** The deadline of a claimed action, which its time limit and its lease both follow. */
  public Duration deadline(ClaimedRemediation claim) {
    return deadlines.of(claim);
  }

  /**
   * Claims up to {@code limit} due remediations, each with its lease, and audits them started;
   * work on a target already running as many as its {@code concurrency} stays pending.
   */
  public List<ClaimedRemediation> claim(int limit) {
    Instant now = clock.instant();
    return database.inTransaction(connection -> {
      List<ClaimedRemediation> claimed =
          queue.claimDue(connection, database.dialect(), workerId, now, c -> Leases.lease(deadline(c)), limit,
              bulkheads);
      List<AuditEvent> events = new ArrayList<>();
      for (ClaimedRemediation c : claimed) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("attempt", c.attempt());
        detail.put("deadlineMs", deadline(c).toMillis());
        detail.put("params", c.params());
        events.add(AuditEvent.forRemediation(now, Kind.STARTED, workerId, c.alert(), c.ref(), "started", detail));
      }
      audit.append(connection, events);
      return claimed;
    });
  }

  /** Extends the leases of the claims this worker still holds; returns the ids it has lost. */
  public List<Long> renew(Collection<ClaimedRemediation> inFlight) {
    if (inFlight.isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    List<Long> lost = database.inTransaction(connection -> {
      List<Long> gone = new ArrayList<>();
      for (ClaimedRemediation c : inFlight) {
        gone.addAll(queue.renew(connection, workerId, List.of(c.id()), now.plus(Leases.lease(deadline(c)))));
      }
      return gone;
    });
    for (long id : lost) {
      log.atWarn().addKeyValue("remediation", id)
          .log("lost the lease of a running action (it was swept as interrupted); its outcome is still audited");
    }
    return lost;
  }

  /** Interrupts (and escalates or re-checks) work whose lease has run out, on any replica; returns how many. */
  public int sweepExpired() {
    return interruptRunning(clock.instant(), SWEPT);
  }

  /**
   * Interrupts everything still running: only right when no other process shares the store
   * (the embedded one), where all of it was left by a process that is gone.
   */
  public int interruptAllRunning() {
    int total = 0;
    for (int batch; (batch = interruptRunning(EVERY_LEASE, LEFT_RUNNING)) > 0; ) {
      total += batch;
    }
    return total;
  }

  private int interruptRunning(Instant leaseEndsBefore, String reason) {
    Instant now = clock.instant();
    RuleSet ruleSet = rules.get();
    List<RemediationQueue.Expired> expired = database.inTransaction(connection -> {
      List<RemediationQueue.Expired> interrupted =
          queue.interruptExpired(connection, database.dialect(), leaseEndsBefore, now, reason, SWEEP_BATCH);
      List<AuditEvent> events = new ArrayList<>();
      for (RemediationQueue.Expired e : interrupted) {
        events.addAll(interruptions.handle(connection, ruleSet, e, reason, now));
      }
      audit.append(connection, events);
      return interrupted;
    });
    for (RemediationQueue.Expired e : expired) {
      log.atWarn().addKeyValue("remediation", e.remediation().id()).addKeyValue("rule", e.remediation().rule())
          .addKeyValue("claimedBy", e.claimedBy()).addKeyValue("reason", reason)
          .log("interrupted remediation {} claimed by {}", e.remediation().id(), e.claimedBy());
    }
    return expired.size();
  }
}
