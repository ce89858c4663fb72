package dev.remediator.engine;

import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditEvent.Kind;
import dev.remediator.audit.AuditLog;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.resilience.Breakers;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.Database;
import dev.remediator.store.FollowUp;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.RemediationQueue;
import dev.remediator.store.VerificationStore;
import dev.remediator.store.VerificationStore.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the verifications in the outbox: claims due ones with a lease, looks once whether each
 * check holds, and either ends it or puts it back due at the next poll (the wait lives in the
 * outbox, not in a sleeping thread, so a restart resumes it). A check that holds at some poll
 * before its deadline is verified; one that still does not hold at the deadline is not, and asks
 * for a human. The outcome, its audit event and any escalation are written in one transaction,
 * once only; a remediation not verified counts as a failed call against its breakers there too, so
 * a breaker opens (and escalates, once) as soon as verifications fail rather than at the next call.
 * Then the {@link VerificationEnded} listeners are told.
 */
public final class Verifier {
  static final Duration POLL = Duration.ofSeconds(15);
  /** Verifications claimed per step; the lease covers looking at them all, one deadline each. */
  static final int BATCH = 5;
  static final Duration LEASE = Duration.ofMinutes(2);
  private static final Logger log = LoggerFactory.getLogger(Verifier.class);

  private final Database database;
  private final OutboxStore outbox;
  private final VerificationStore verifications;
  private final RemediationQueue remediations = new RemediationQueue();
  private final BreakerOutcomes breakerOutcomes;
  private final AuditLog audit;
  private final VerificationProbe probe;
  private final Supplier<RuleSet> rules;
  private final Clock clock;
  private final RemediatorMetrics metrics;
  private final String workerId;
  private final List<VerificationEnded> listeners;
  private final DueFollowUps due;

  public Verifier(Database database, OutboxStore outbox, VerificationStore verifications, AuditLog audit,
                  Breakers breakers, VerificationProbe probe, Supplier<RuleSet> rules, Clock clock,
                  RemediatorMetrics metrics, String workerId, List<VerificationEnded> listeners) {
    this.database = database;
    this.outbox = outbox;
    this.verifications = verifications;
    this.breakerOutcomes = new BreakerOutcomes(breakers, outbox);
    this.audit = audit;
    this.probe = probe;
    this.rules = rules;
    this.clock = clock;
    this.metrics = metrics;
    this.workerId = workerId;
    this.listeners = List.copyOf(listeners);
    this.due = new DueFollowUps(database, outbox, FollowUp.Kind.VERIFY, workerId, LEASE, BATCH);
  }

  /** The first look of a verification whose action succeeded at {@code actedAt}: one poll later, at most the deadline. */
  static Instant firstPoll(Instant actedAt) {
    return actedAt.plus(POLL);
  }

  /** Claims the due verifications and looks at each once; returns how many it claimed. */
  public int verifyDue() throws InterruptedException {
    return due.drain(clock.instant(), this::verify);
  }

  private void verify(FollowUp followUp) throws InterruptedException {
    PendingVerification pending;
    try {
      pending = PendingVerification.from(followUp);
    } catch (RuntimeException e) {
      log.atError().addKeyValue("remediation", followUp.remediationId()).addKeyValue("followUp", followUp.id())
          .setCause(e).log("verification follow-up {} cannot be read; marked done unverified", followUp.id());
      database.inTransaction(connection -> outbox.done(connection, followUp.id(), workerId, clock.instant()));
      return;
    }
    VerificationProbe.Poll poll = probe.poll(pending, clock.instant());
    Instant at = clock.instant();
    if (poll.held()) {
      end(followUp, pending, Outcome.VERIFIED, poll, at);
    } else if (!at.isBefore(pending.deadline())) {
      end(followUp, pending, Outcome.NOT_VERIFIED, poll, at);
    } else {
      Instant next = at.plus(POLL).isAfter(pending.deadline()) ? pending.deadline() : at.plus(POLL);
      boolean held = database.inTransaction(connection -> outbox.reschedule(connection, followUp.id(), workerId, next));
      log.atDebug().addKeyValue("remediation", pending.remediationId()).addKeyValue("rule", pending.rule())
          .addKeyValue("seen", poll.seen()).addKeyValue("nextPoll", next).addKeyValue("held", held)
          .log("verification of {} does not hold yet: {}", pending.rule(), poll.seen());
    }
  }

  private void end(FollowUp followUp, PendingVerification pending, Outcome outcome, VerificationProbe.Poll poll,
                   Instant at) {
    boolean first = database.inTransaction(connection -> {
      boolean ended = verifications.end(connection, pending.remediationId(), outcome);
      outbox.done(connection, followUp.id(), workerId, at);
      if (!ended) {
        return false;
      }
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("check", pending.describe());
      detail.put("seen", poll.seen());
      detail.put("deadline", pending.deadline().toString());
      detail.put("polls", followUp.attempts());
      if (at.isAfter(pending.deadline().plus(POLL))) {
        detail.put("late", "looked " + Duration.between(pending.deadline(), at).toSeconds()
            + "s after the deadline (the verifier was not running)");
      }
      audit.append(connection, List.of(AuditEvent.forFollowUp(at,
          outcome == Outcome.VERIFIED ? Kind.VERIFIED : Kind.NOT_VERIFIED, workerId, followUp, outcome.wireName(),
          detail)));
      if (outcome == Outcome.NOT_VERIFIED) {
        Optional<ClaimedRemediation> call = remediations.claimed(connection, pending.remediationId());
        if (call.isPresent()) {
          breakerOutcomes.count(connection, rules.get(), call.get(), true, workerId, at);
        }
        Optional<FollowUp> escalation = Escalations.followUp(rules.get(), new Escalations.Subject(
            pending.remediationId(), pending.rule(), pending.action(), pending.target(), pending.fingerprint(),
            pending.alertname(), pending.attempts(), Escalations.Reason.NOT_VERIFIED,
            pending.describe() + " did not hold by the deadline; last seen: " + poll.seen(),
            Map.of("verification", pending.describe())), at);
        if (escalation.isPresent()) {
          outbox.add(connection, escalation.get(), at);
        }
      }
      return true;
    });
    if (!first) {
      log.atInfo().addKeyValue("remediation", pending.remediationId())
          .log("verification of remediation {} had already ended; nothing recorded twice", pending.remediationId());
      return;
    }
    metrics.verification(pending.rule(), outcome.wireName());
    (outcome == Outcome.VERIFIED ? log.atInfo() : log.atWarn())
        .addKeyValue("remediation", pending.remediationId()).addKeyValue("rule", pending.rule())
        .addKeyValue("fingerprint", pending.fingerprint()).addKeyValue("outcome", outcome.wireName())
        .addKeyValue("seen", poll.seen())
        .log("remediation {} by rule {} {}: {}", pending.remediationId(), pending.rule(), outcome.wireName(),
            poll.seen());
    VerificationEnded.Ended ended = new VerificationEnded.Ended(pending.remediationId(), pending.rule(),
        pending.fingerprint(), pending.startsAt(), outcome, at);
    for (VerificationEnded listener : listeners) {
      try {
        listener.ended(ended);
      } catch (RuntimeException e) {
        log.atWarn().addKeyValue("remediation", pending.remediationId()).setCause(e)
            .log("a listener failed after verification ended; the outcome stands");
      }
    }
  }
}
