package dev.remediator.store;

import java.time.Instant;
import java.util.Optional;

/**
 * The decisions to act that cooldowns and rate limits count, in one budget. A dry run counts
 * exactly as live would, in a budget of its own: the dry-run budget holds the dry-run decisions
 * that live would have acted on plus the live ones, while the live budget holds only live ones,
 * so nothing a dry run decided is charged to live once dry run is turned off. Unchecked: a store
 * failure surfaces as {@link StoreUnavailableException} or {@link StoreException}.
 */
public interface Ledger {
  /** The label naming the service an alert is about, which {@code max_fraction} counts per. */
  String SERVICE = "service";

  /** Which decisions count: live ones that will (or may) act, or those and the dry-run ones that would have. */
  enum Budget {
    LIVE, DRY_RUN
  }

  Budget budget();

  /** When this rule last decided to act for this cooldown group, if ever. */
  Optional<Instant> lastActed(String rule, String group);

  /** How many decisions to act this rule made after {@code since}, counting no further than {@code cap}. */
  long countSince(String rule, Instant since, int cap);

  /** How many decisions to act every rule together made after {@code since}, counting no further than {@code cap}. */
  long countAllSince(Instant since, int cap);

  /**
   * How many decisions to act this rule made after {@code since} for alerts whose {@link #SERVICE}
   * label is {@code service}, counting no further than {@code cap}.
   */
  long countForServiceSince(String rule, String service, Instant since, int cap);

  /**
   * How many instances of {@code service} the store has seen: the distinct {@code instance} label
   * values (else {@code pod}) on alerts with that {@link #SERVICE} label received after {@code since}.
   */
  long instancesSince(String service, Instant since);
}
