package dev.remediator.engine;

import dev.remediator.action.ActionResult;
import dev.remediator.audit.AuditEvent.Kind;
import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditLog;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.resilience.Breakers;
import dev.remediator.resilience.RetryPolicy;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.Database;
import dev.remediator.store.FollowUp;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.RemediationQueue;
import dev.remediator.store.RemediationState;
import dev.remediator.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
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
 * Writes how an attempt ended in one transaction: the remediation row (finished, or back in the
 * queue when the {@link RetryPolicy} says repeating it is safe), its audit event (a retry says
 * its attempt, delay and why it is safe), and any follow-up in the outbox (an escalation when it
 * failed for good and the rules name an {@code escalate_to}; a verification when it succeeded and
 * its rule has {@code verify:}). A finished call also counts against its breakers there, so a
 * breaker opens or closes exactly once however many replicas record outcomes, and an opening
 * escalates in that transaction.
 * Retries while the store is unreachable, since the action has already acted.
 */
public final class OutcomeRecorder {
  private static final int OUTPUT_LIMIT = 16 * 1024;
  private static final int RECORD_ATTEMPTS = 8;
  private static final Logger log = LoggerFactory.getLogger(OutcomeRecorder.class);

  private final Database database;
  private final RemediationQueue queue;
  private final OutboxStore outbox;
  private final AuditLog audit;
  private final BreakerOutcomes breakerOutcomes;
  private final Supplier<RuleSet> rules;
  private final Clock clock;
  private final RemediatorMetrics metrics;
  private final String workerId;
  private final RetryPolicy retries;
  private final Optional<Silences> silences;

  public OutcomeRecorder(Database database, RemediationQueue queue, OutboxStore outbox, AuditLog audit,
                         Breakers breakers, Supplier<RuleSet> rules, Clock clock, RemediatorMetrics metrics,
                         String workerId, RetryPolicy retries) {
    this(database, queue, outbox, audit, breakers, rules, clock, metrics, workerId, retries, Optional.empty());
  }

  /**
   * With {@code silences}, a remediation's silence is released once its outcome is recorded and
   * nothing follows: it is over, or it succeeded and its rule has no {@code verify:} (the
   * verification releases it otherwise).
   */
  public OutcomeRecorder(Database database, RemediationQueue queue, OutboxStore outbox, AuditLog audit,
                         Breakers breakers, Supplier<RuleSet> rules, Clock clock, RemediatorMetrics metrics,
                         String workerId, RetryPolicy retries, Optional<Silences> silences) {
    this.silences = silences;
    this.retries = retries;
    this.database = database;
    this.queue = queue;
    this.outbox = outbox;
    this.audit = audit;
    this.breakerOutcomes = new BreakerOutcomes(breakers, outbox);
    this.rules = rules;
    this.clock = clock;
    this.metrics = metrics;
    this.workerId = workerId;
  }

  /** What one attempt comes to: the row's new state, its audit event and any follow-up. */
  record Outcome(RemediationState state, Kind kind, Instant at, Duration took, String output, String error,
                 Instant retryAt, Map<String, Object> detail, Optional<FollowUp> followUp) {}

  /**
   * Records how the attempt that started at {@code started} ended; {@code interrupted} when the
   * worker was stopped while the action ran.
   */
  public void record(ClaimedRemediation c, Instant started, ActionResult result, boolean interrupted) {
    Outcome outcome = outcome(c, started, result, interrupted);
    if (!persist(c, outcome)) {
      return;
    }
    silences.ifPresent(held -> {
      boolean over = outcome.state() != RemediationState.PENDING;
      boolean verifying = outcome.state() == RemediationState.SUCCEEDED && !held.releasedWhenActionEnds(c.rule());
      if (over && !verifying) {
        held.release(c.id());
      }
    });
    metrics.action(c.action(), c.target(), outcome.kind().wireName(), outcome.took());
    boolean failed = outcome.kind() == Kind.FAILED || outcome.kind() == Kind.RETRY_SCHEDULED
        || outcome.kind() == Kind.INTERRUPTED;
    var line = (failed ? log.atWarn() : log.atInfo())
        .addKeyValue("remediation", c.id()).addKeyValue("rule", c.rule()).addKeyValue("action", c.action())
        .addKeyValue("target", c.target()).addKeyValue("fingerprint", c.alert().alert().fingerprint())
        .addKeyValue("attempt", c.attempt()).addKeyValue("outcome", outcome.kind().wireName())
        .addKeyValue("durationMs", outcome.took().toMillis());
    if (outcome.error() == null) {
      line.log("action {}", outcome.kind().wireName());
    } else {
      line.addKeyValue("error", outcome.error()).log("action {}: {}", outcome.kind().wireName(), outcome.error());
    }
  }

  Outcome outcome(ClaimedRemediation c, Instant started, ActionResult result, boolean interrupted) {
    Instant now = clock.instant();
    Duration took = Duration.between(started, now);
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("attempt", c.attempt());
    detail.put("durationMs", took.toMillis());
    if (!result.facts().isEmpty()) {
      detail.put("result", result.facts());
    }
    if (interrupted) {
      String error = cut(result.message());
      detail.put("error", error);
      return new Outcome(RemediationState.INTERRUPTED, Kind.INTERRUPTED, now, took, null, error, null, detail,
          Optional.empty());
    }
    if (result instanceof ActionResult.Succeeded) {
      String output = cut(result.message());
      detail.put("output", output);
      Optional<FollowUp> verification = verification(c, now);
      verification.ifPresent(v -> detail.put("verifyBy", v.payload().get("deadline")));
      return new Outcome(RemediationState.SUCCEEDED, Kind.SUCCEEDED, now, took, output, null, null, detail,
          verification);
    }
    if (result instanceof ActionResult.Cancelled) {
      String reason = cut(result.message());
      detail.put("reason", reason);
      return new Outcome(RemediationState.CANCELLED, Kind.CANCELLED, now, took, null, reason, null, detail,
          Optional.empty());
    }
    String error = cut(result.message());
    if (result instanceof ActionResult.Retryable failure) {
      Optional<RetryPolicy.Retry> retry = retries.retry(c.action(), c.attempt(), failure);
      if (retry.isPresent()) {
        Instant retryAt = now.plus(retry.get().delay());
        detail.put("error", error);
        detail.put("delayMs", retry.get().delay().toMillis());
        detail.put("retryAt", retryAt.toString());
        detail.put("safeBecause", retry.get().safeBecause());
        return new Outcome(RemediationState.PENDING, Kind.RETRY_SCHEDULED, now, took, null, error, retryAt, detail,
            Optional.empty());
      }
      error = cut(result.message() + " (" + retries.refusal(c.action(), c.attempt(), failure) + ")");
    }
    detail.put("error", error);
    return new Outcome(RemediationState.FAILED, Kind.FAILED, now, took, null, error, null, detail,
        escalation(c, now, error));
  }

  /** The check that the action helped, when its rule has {@code verify:}; it first looks one poll from now. */
  private Optional<FollowUp> verification(ClaimedRemediation c, Instant now) {
    return Escalations.rule(rules.get(), c.rule()).flatMap(rule -> rule.safeguards().verify())
        .map(check -> PendingVerification.of(c, check, now).followUp(Verifier.firstPoll(now)));
  }

  private Optional<FollowUp> escalation(ClaimedRemediation c, Instant now, String error) {
    return Escalations.followUp(rules.get(), new Escalations.Subject(c.id(), c.rule(), c.action(), c.target(),
        c.alert().alert().fingerprint(), c.alert().alert().alertname(), c.attempt(), Escalations.Reason.FAILED,
        error, Map.of()), now);
  }

  /**
   * Writes {@code outcome} in the caller's transaction: the row, the follow-up, then the audit
   * event, so a failure anywhere leaves none of them. When this worker no longer holds the claim
   * (a sweep interrupted it) the row is left as the sweep wrote it and the event says so.
   */
  void write(Connection connection, ClaimedRemediation c, Outcome outcome) throws SQLException {
    boolean held = outcome.retryAt() != null
        ? queue.reschedule(connection, c.id(), workerId, outcome.retryAt(), outcome.error())
        : queue.finish(connection, c.id(), workerId, outcome.state(), outcome.at(), outcome.took(), outcome.output(),
            outcome.error());
    Map<String, Object> detail = outcome.detail();
    if (!held) {
      detail = new LinkedHashMap<>(detail);
      detail.put("claimLost", "its lease ran out and it was marked interrupted before this outcome was recorded");
      log.atWarn().addKeyValue("remediation", c.id()).addKeyValue("rule", c.rule())
          .log("outcome {} arrived after the claim was lost; audited, row left interrupted", outcome.kind().wireName());
    }
    if (outcome.followUp().isPresent()) {
      outbox.add(connection, outcome.followUp().get(), outcome.at());
    }
    audit.append(connection, List.of(AuditEvent.forRemediation(outcome.at(), outcome.kind(), workerId, c.alert(),
        c.ref(), outcome.state().wireName(), detail)));
    if (held && (outcome.state() == RemediationState.SUCCEEDED || outcome.state() == RemediationState.FAILED)) {
      breakerOutcomes.count(connection, rules.get(), c, outcome.state() == RemediationState.FAILED, workerId,
          outcome.at());
    }
  }

  /**
   * Writes the outcome, retrying while the store is unreachable; losing it would later show the
   * action as interrupted. Any other failure is logged and the outcome is written once more as a
   * plain failure naming why; when even that fails the lease expires and a sweep interrupts it.
   */
  private boolean persist(ClaimedRemediation c, Outcome outcome) {
    long pauseMillis = 500;
    for (int attempt = 1; ; attempt++) {
      try {
        database.inTransaction(connection -> {
          write(connection, c, outcome);
          return null;
        });
        return true;
      } catch (StoreUnavailableException e) {
        if (attempt == RECORD_ATTEMPTS) {
          log.atError().addKeyValue("remediation", c.id()).addKeyValue("rule", c.rule()).setCause(e)
              .log("could not record the outcome {}; its lease will run out and mark it interrupted", outcome.state());
          return false;
        }
        log.atWarn().addKeyValue("remediation", c.id()).addKeyValue("attempt", attempt)
            .log("store unavailable while recording outcome {}; retrying", outcome.state());
        try {
          Thread.sleep(pauseMillis);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return false;
        }
        pauseMillis = Math.min(pauseMillis * 2, 8_000);
      } catch (RuntimeException e) {
        log.atError().addKeyValue("remediation", c.id()).addKeyValue("rule", c.rule()).setCause(e)
            .log("could not record the outcome {}; recording it as failed", outcome.state());
        return persistFallback(c, outcome, e);
      }
    }
  }

  private boolean persistFallback(ClaimedRemediation c, Outcome failed, RuntimeException why) {
    String error = cut("the outcome " + failed.state().wireName() + " could not be recorded: " + why);
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("attempt", c.attempt());
    detail.put("durationMs", failed.took().toMillis());
    detail.put("error", error);
    Outcome fallback = new Outcome(RemediationState.FAILED, Kind.FAILED, failed.at(), failed.took(), null, error,
        null, detail, Optional.empty());
    try {
      database.inTransaction(connection -> {
        write(connection, c, fallback);
        return null;
      });
      return true;
    } catch (RuntimeException e) {
      log.atError().addKeyValue("remediation", c.id()).setCause(e)
          .log("could not record the fallback failure either; its lease will run out and mark it interrupted");
      return false;
    }
  }

  private static String cut(String text) {
    if (text == null || text.length() <= OUTPUT_LIMIT) {
      return text;
    }
    return text.substring(0, OUTPUT_LIMIT) + "... (" + (text.length() - OUTPUT_LIMIT) + " more characters)";
  }
}
