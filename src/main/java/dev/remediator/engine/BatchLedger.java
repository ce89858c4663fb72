package dev.remediator.engine;

import dev.remediator.store.Ledger;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One decider transaction's view of a {@link Ledger}: each question goes to the store once, and
 * the answers are then kept current with the decisions this transaction writes, which
 * {@link #acted} reports. Exact, because the decider lock keeps every other decider out until
 * the transaction ends; in an alert storm it turns a handful of queries per alert into a
 * handful per batch.
 */
final class BatchLedger implements Ledger {
  private final Ledger store;
  private final Map<List<String>, Optional<Instant>> lastActed = new HashMap<>();
  private final Map<Count, Long> counts = new HashMap<>();
  private final Map<List<Object>, Long> instances = new HashMap<>();

  /**
   * One count question: a rule's (or, with a null rule, every rule's) decisions after
   * {@code since}, up to {@code cap}, for alerts of {@code service} (or, with a null service, any).
   */
  private record Count(String rule, String service, Instant since, int cap) {}

  BatchLedger(Ledger store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public Budget budget() {
    return store.budget();
  }

  @Override
  public Optional<Instant> lastActed(String rule, String group) {
    return lastActed.computeIfAbsent(List.of(rule, group), key -> store.lastActed(rule, group));
  }

  @Override
  public long countSince(String rule, Instant since, int cap) {
    Objects.requireNonNull(rule, "rule");
    return counts.computeIfAbsent(new Count(rule, null, since, cap), key -> store.countSince(rule, since, cap));
  }

  @Override
  public long countAllSince(Instant since, int cap) {
    return counts.computeIfAbsent(new Count(null, null, since, cap), key -> store.countAllSince(since, cap));
  }

  @Override
  public long countForServiceSince(String rule, String service, Instant since, int cap) {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(service, "service");
    return counts.computeIfAbsent(new Count(rule, service, since, cap),
        key -> store.countForServiceSince(rule, service, since, cap));
  }

  /** Not kept current: deciding stores no alerts, so the answer holds for the transaction. */
  @Override
  public long instancesSince(String service, Instant since) {
    return instances.computeIfAbsent(List.of(service, since), key -> store.instancesSince(service, since));
  }

  /**
   * Counts a decision to act that this transaction has written, for an alert of {@code service}
   * (empty when it names none), in every answer it changes.
   */
  void acted(String rule, String group, String service, Instant at) {
    lastActed.merge(List.of(rule, group), Optional.of(at),
        (known, now) -> known.isPresent() && known.get().isAfter(at) ? known : now);
    counts.replaceAll((count, used) -> (count.rule() == null || count.rule().equals(rule))
        && (count.service() == null || count.service().equals(service)) && at.isAfter(count.since())
        ? Math.min(used + 1, count.cap()) : used);
  }

  /** Forgets every answer, after decisions this transaction wrote were rolled back. */
  void forget() {
    lastActed.clear();
    counts.clear();
    instances.clear();
  }
}
