package dev.remediator.engine;

import dev.remediator.store.Ledger;

/**
 * One check a remediation must pass before it may act. Guards never act themselves. A guard
 * either answers from the decision's context alone, before any transaction, or counts earlier
 * decisions in a {@link Ledger}, inside the short transaction under the decider lock.
 */
public sealed interface Guard permits Guard.OfContext, Guard.OfLedger {
  /** The name audited with each verdict, e.g. {@code cooldown}; its place in {@link GuardChain#ORDER}. */
  String name();

  /** Answers from the context alone: a pure function of it, asked outside any transaction. */
  non-sealed interface OfContext extends Guard {
    Verdict check(DecisionContext context);
  }

  /** Counts earlier decisions; asked under the decider lock, so it sees every one of them. */
  non-sealed interface OfLedger extends Guard {
    Verdict check(DecisionContext context, Ledger ledger);
  }
}
