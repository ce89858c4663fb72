package dev.remediator.engine;

import dev.remediator.store.Ledger;
import dev.remediator.store.StoredAlert;
import java.time.Instant;
import java.util.ArrayList;
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
 */
final class SimulatedLedger {
  private record Act(String rule, String group, String service, Instant at, boolean live) {}

  private final List<Act> acts = new ArrayList<>();
  private final Map<String, Map<String, Instant>> instances = new HashMap<>();

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

  /** Records a simulated decision to act, charged to {@code budget} (a live one counts in both). */
  void acted(String rule, String group, String service, Instant at, Ledger.Budget budget) {
    acts.add(new Act(rule, group, service, at, budget == Ledger.Budget.LIVE));
  }

  /** The ledger the counting guards ask for a decision in {@code budget}. */
  Ledger view(Ledger.Budget budget) {
    return new View(budget);
  }

  private final class View implements Ledger {
    private final Budget budget;

    View(Budget budget) {
      this.budget = Objects.requireNonNull(budget, "budget");
    }

    private boolean counts(Act act) {
      return budget == Budget.DRY_RUN || act.live();
    }

    @Override
    public Budget budget() {
      return budget;
    }

    @Override
    public Optional<Instant> lastActed(String rule, String group) {
      return acts.stream().filter(this::counts).filter(a -> a.rule().equals(rule) && a.group().equals(group))
          .map(Act::at).max(Instant::compareTo);
    }

    @Override
    public long countSince(String rule, Instant since, int cap) {
      return Math.min(cap, acts.stream().filter(this::counts)
          .filter(a -> a.rule().equals(rule) && a.at().isAfter(since)).count());
    }

    @Override
    public long countAllSince(Instant since, int cap) {
      return Math.min(cap, acts.stream().filter(this::counts).filter(a -> a.at().isAfter(since)).count());
    }

    @Override
    public long countForServiceSince(String rule, String service, Instant since, int cap) {
      return Math.min(cap, acts.stream().filter(this::counts)
          .filter(a -> a.rule().equals(rule) && a.service().equals(service) && a.at().isAfter(since)).count());
    }

    @Override
    public long instancesSince(String service, Instant since) {
      return instances.getOrDefault(service, Map.of()).values().stream().filter(at -> at.isAfter(since)).count();
    }
  }
}
