package dev.remediator.engine;

import dev.remediator.resilience.Breakers;
import dev.remediator.resilience.Opening;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.FollowUp;
import dev.remediator.store.OutboxStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Counts how a call ended against its breakers, in the transaction that records it, and escalates
 * each breaker that opens there, once. Breakers count calls from the remediation rows, so a call
 * counted again when its verification fails is still one call, now a failed one: a breaker opens
 * as soon as verifications fail, without waiting for the next call to finish.
 */
final class BreakerOutcomes {
  private final Breakers breakers;
  private final OutboxStore outbox;

  BreakerOutcomes(Breakers breakers, OutboxStore outbox) {
    this.breakers = breakers;
    this.outbox = outbox;
  }

  /** Counts {@code call}, its outcome written in this transaction, as {@code failed} or not, as {@code actor}. */
  void count(Connection connection, RuleSet ruleSet, ClaimedRemediation call, boolean failed, String actor,
             Instant at) throws SQLException {
    for (Opening opening : breakers.afterOutcome(connection, call, failed,
        Breakers.settings(ruleSet, call.rule(), call.target()), actor, at)) {
      Optional<FollowUp> escalation = Escalations.followUp(ruleSet, Escalations.breakerOpen(call, opening), at);
      if (escalation.isPresent()) {
        outbox.add(connection, escalation.get(), at);
      }
    }
  }
}
