package dev.remediator.engine;

import dev.remediator.store.Ledger;

/**
 * One check a remediation must pass before it may act. Guards never act themselves. A guard
 * answers from the decision's context alone, or asks the world (the store, Prometheus) before
 * any transaction, or counts earlier decisions in a {@link Ledger}, inside the short
 * transaction under the decider lock.
 */
public sealed interface Guard permits Guard.OfContext, Guard.OfWorld, Guard.OfLedger {
  /** The name audited with each verdict, e.g. {@code cooldown}; its place in {@link GuardChain#ORDER}. */
  String name();

  /** Answers from the context alone: a pure function of it, asked outside any transaction. */
  non-sealed interface OfContext extends Guard {
    Verdict check(DecisionContext context);
  }

  /**
   * Asks the world (pause and breaker state in the store, a PromQL query), in phase 1, outside
   * any transaction and with its own deadline. A guard that cannot tell throws; the chain turns
   * that into a skip naming why, since acting blind is what guards exist to prevent.
   */
  non-sealed interface OfWorld extends Guard {
    Verdict check(DecisionContext context) throws Exception;
  }

  /** Counts earlier decisions; asked under the decider lock, so it sees every one of them. */
  non-sealed interface OfLedger extends Guard {
    Verdict check(DecisionContext context, Ledger ledger);
  }
}
