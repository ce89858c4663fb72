package dev.remediator.engine;

import dev.remediator.action.ActionResult;
import dev.remediator.resilience.Admission;
import dev.remediator.resilience.Breakers;
import dev.remediator.resilience.Opening;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.Database;
import dev.remediator.store.FollowUp;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.StoreException;
import dev.remediator.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Runs the action only while its breakers let it: a remediation decided before its breaker
 * opened (or by a replica that had not yet seen it open) is cancelled with the breaker's reason
 * instead of reaching the target. A half-open breaker takes the claim as its one trial call, and
 * an alert group found ineffective has its breaker opened and escalated here, in one transaction.
 * When the store cannot say, the attempt is retried later; nothing has reached the target.
 */
final class BreakerCheck implements ActionPipeline.Decorator {
  private final Database database;
  private final Breakers breakers;
  private final OutboxStore outbox;
  private final Supplier<RuleSet> rules;
  private final Clock clock;
  private final String workerId;

  BreakerCheck(Database database, Breakers breakers, OutboxStore outbox, Supplier<RuleSet> rules, Clock clock,
               String workerId) {
    this.database = database;
    this.breakers = breakers;
    this.outbox = outbox;
    this.rules = rules;
    this.clock = clock;
    this.workerId = workerId;
  }

  @Override
  public ActionResult around(ClaimedRemediation claim, ActionPipeline.Step next) throws InterruptedException {
    RuleSet ruleSet = rules.get();
    OptionalInt ineffectiveAfter = ruleSet.rule(claim.rule()).map(Rule::safeguards)
        .map(safeguards -> safeguards.ineffectiveAfter()).orElse(OptionalInt.empty());
    Admission admission;
    try {
      admission = database.inTransaction(connection -> {
        Instant now = clock.instant();
        Admission admitted = breakers.admit(connection, claim, Breakers.settings(ruleSet, claim.rule(), claim.target()),
            ineffectiveAfter, workerId, now);
        for (Opening opening : admitted.openings()) {
          Optional<FollowUp> escalation = Escalations.followUp(ruleSet, Escalations.breakerOpen(claim, opening), now);
          if (escalation.isPresent()) {
            outbox.add(connection, escalation.get(), now);
          }
        }
        return admitted;
      });
    } catch (StoreException | StoreUnavailableException e) {
      return new ActionResult.Retryable("could not check the breaker: " + e.getMessage(), e,
          ActionResult.Reached.NOTHING);
    }
    return admission.allowed() ? next.run(claim) : new ActionResult.Cancelled(admission.reason());
  }
}
