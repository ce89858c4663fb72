package dev.remediator.engine;

import dev.remediator.store.Ledger;
import dev.remediator.store.StoredAlert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The ledger of a simulation, in memory: the decisions to act that the simulation itself made,
 * and the instances of each service seen on the alerts it has read so far. Cooldowns and rate
 * limits then count within the simulation, as they would have counted had the candidate rules
 * been live, and nothing is read from or written to the real ledger. Its {@link #view}s keep the
 * two budgets apart as the store does: a dry-run view counts live and dry-run decisions, a live
 * view only live ones.
 *
 * <p>Decisions must be recorded in time order (the simulation's clock never runs back), so each
 * count is a binary search over the times of one rule, one rule and service, or every rule.
 */
final class SimulatedLedger {
  private final Map<Ledger.Budget, Acts> budgets = new EnumMap<>(Ledger.Budget.class);
  private final Map<String, Map<String, Instant>> instances = new HashMap<>();
  private Instant latest = Instant.MIN;

  SimulatedLedger() {
    for (Ledger.Budget budget : Ledger.Budget.values()) {
      budgets.put(budget, new Acts());
    }
  }

  /** Notes the service instance {@code alert} names, as seen at {@code at}. */
  void seen(StoredAlert alert, Instant at) {
    String service = alert.alert().labels().get(Ledger.SERVICE);
    String instance = alert.alert().labels().get("instance");
    if (instance.isEmpty()) {
      instance = alert.alert().labels().get("pod");
    }
    if (!service.isEmpty() && !instance.isEmpty()) {
      instances.computeIfAbsent(service, s -> new HashMap<>()).merge(instance, at,
          (known, now) -> now.isAfter(known) ? now : known);
    }
  }

  /**
   * Records a simulated decision to act at {@code at}, no earlier than the last one, charged to
   * {@code budget}: a live one counts in both budgets, a dry-run one only in its own.
   */
  void acted(String rule, String group, String service, Instant at, Ledger.Budget budget) {
    if (at.isBefore(latest)) {
      throw new IllegalArgumentException("decisions are recorded in time order, but " + at + " is before " + latest);
    }
    latest = at;
    budgets.get(Ledger.Budget.DRY_RUN).add(rule, group, service, at);
    if (budget == Ledger.Budget.LIVE) {
      budgets.get(Ledger.Budget.LIVE).add(rule, group, service, at);
    }
  }

  /** The ledger the counting guards ask for a decision in {@code budget}. */
  Ledger view(Ledger.Budget budget) {
    return new View(Objects.requireNonNull(budget, "budget"), budgets.get(budget));
  }

  /** One budget's decisions: the last per (rule, group), and the times per rule, per rule and service, and in all. */
  private static final class Acts {
    private final Map<List<String>, Instant> last = new HashMap<>();
    private final Map<List<String>, List<Instant>> times = new HashMap<>();

    void add(String rule, String group, String service, Instant at) {
      last.put(List.of(rule, group), at);
      times.computeIfAbsent(List.of(rule), key -> new ArrayList<>()).add(at);
      times.computeIfAbsent(List.of(rule, service), key -> new ArrayList<>()).add(at);
      times.computeIfAbsent(List.of(), key -> new ArrayList<>()).add(at);
    }

    long countAfter(List<String> key, Instant since, int cap) {
      List<Instant> at = times.getOrDefault(key, List.of());
      int index = Collections.binarySearch(at, since);
      int firstAfter = index < 0 ? -index - 1 : index + 1;
      while (firstAfter < at.size() && !at.get(firstAfter).isAfter(since)) {
        firstAfter++;
      }
      return Math.min(cap, at.size() - firstAfter);
    }
  }

  private final class View implements Ledger {
    private final Budget budget;
    private final Acts acts;

    View(Budget budget, Acts acts) {
      this.budget = budget;
      this.acts = acts;
    }

    @Override
    public Budget budget() {
      return budget;
    }

    @Override
    public Optional<Instant> lastActed(String rule, String group) {
      return Optional.ofNullable(acts.last.get(List.of(rule, group)));
    }

    @Override
    public long countSince(String rule, Instant since, int cap) {
      return acts.countAfter(List.of(rule), since, cap);
    }

    @Override
    public long countAllSince(Instant since, int cap) {
      return acts.countAfter(List.of(), since, cap);
    }

    @Override
    public long countForServiceSince(String rule, String service, Instant since, int cap) {
      return acts.countAfter(List.of(rule, service), since, cap);
    }

    @Override
    public long instancesSince(String service, Instant since) {
      return instances.getOrDefault(service, Map.of()).values().stream().filter(at -> at.isAfter(since)).count();
    }
  }
}
