package dev.remediator.engine;

import dev.remediator.alert.AlertStatus;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.Database;
import dev.remediator.store.Ledger;
import dev.remediator.store.StoredAlerts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a candidate rules file over the alerts received in a window, in the order they were
 * stored (the decider's order), as the decider would have decided each when it arrived: the same matching, rendering and guards,
 * with cooldowns and rate limits counted in a {@link SimulatedLedger} of the simulation's own
 * decisions. It acts on nothing and writes nothing, and reads the alerts a page at a time, so a
 * long window never sits in memory. The chain it is given holds only the guards that answer from
 * the rules and the alerts; the others are reported as not simulated.
 */
public final class Simulator {
  /** Alerts read per store round trip. */
  static final int PAGE = 500;
  /** Examples kept per rule and outcome. */
  public static final int EXAMPLES = 3;
  static final String ACTED = "acted";
  static final String AWAITING_APPROVAL = "awaiting_approval";
  static final String DRY_RUN = "dry_run";

  private final GuardChain guards;
  private final DecisionContexts contexts;
  private final StoredAlerts alerts;
  private final int page;

  public Simulator(GuardChain guards, DecisionContexts contexts, StoredAlerts alerts) {
    this(guards, contexts, alerts, PAGE);
  }

  Simulator(GuardChain guards, DecisionContexts contexts, StoredAlerts alerts, int page) {
    this.guards = guards;
    this.contexts = contexts;
    this.alerts = alerts;
    this.page = page;
  }

  /** The guards of {@link GuardChain#ORDER} this simulator does not ask. */
  public List<String> notSimulated() {
    return GuardChain.ORDER.stream().filter(name -> !guards.names().contains(name)).toList();
  }

  public SimulationReport run(Database database, RuleSet candidate, SimulationWindow window) {
    Map<String, Tally> tallies = new LinkedHashMap<>();
    candidate.rules().forEach(rule -> tallies.put(rule.name(), new Tally(rule)));
    SimulatedLedger ledger = new SimulatedLedger();
    long read = 0;
    long firing = 0;
    long after = 0;
    Instant clock = window.since();
    while (true) {
      long from = after;
      List<StoredAlerts.Received> batch = database.inTransaction(connection ->
          alerts.receivedBetween(connection, window.since(), window.until(), from, page));
      for (StoredAlerts.Received received : batch) {
        read++;
        // Decided in the order stored, at the time received; the decider's clock never runs back either.
        clock = received.receivedAt().isAfter(clock) ? received.receivedAt() : clock;
        ledger.seen(received.alert(), received.receivedAt());
        if (received.alert().alert().status() == AlertStatus.FIRING) {
          firing++;
          decide(candidate, received, clock, ledger, tallies);
        }
      }
      if (batch.size() < page) {
        break;
      }
      after = batch.get(batch.size() - 1).alert().id();
    }
    return new SimulationReport(candidate.source(), window.since(), window.until(), read, firing, notSimulated(),
        tallies.values().stream().map(Tally::report).toList());
  }

  private void decide(RuleSet candidate, StoredAlerts.Received received, Instant now, SimulatedLedger ledger,
                      Map<String, Tally> tallies) {
    for (Rule rule : candidate.matching(received.alert().alert().labels())) {
      DecisionContext context = contexts.of(candidate, rule, received.alert(), now);
      GuardChain.Prepared prepared = guards.prepare(context);
      GuardChain.Decision decision = guards.decide(prepared, ledger.view(prepared.budget()));
      if (decision.counts()) {
        ledger.acted(rule.name(), context.groupKey(), received.alert().alert().labels().get(Ledger.SERVICE), now,
            decision.budget());
      }
      tallies.get(rule.name()).add(received, decision);
    }
  }

  /** One rule's counts and examples, as the simulation goes. */
  private static final class Tally {
    private final Rule rule;
    private long matched;
    private long acted;
    private long awaiting;
    private long dryRun;
    private final Map<String, Long> stoppedBy = new LinkedHashMap<>();
    private final Map<String, List<SimulationReport.Example>> examples = new LinkedHashMap<>();

    Tally(Rule rule) {
      this.rule = rule;
    }

    void add(StoredAlerts.Received received, GuardChain.Decision decision) {
      matched++;
      String outcome;
      Verdict verdict = decision.outcome();
      if (verdict instanceof Verdict.Pass) {
        acted++;
        outcome = ACTED;
      } else if (verdict instanceof Verdict.AwaitApproval) {
        awaiting++;
        outcome = AWAITING_APPROVAL;
      } else if (verdict instanceof Verdict.DryRun) {
        dryRun++;
        outcome = DRY_RUN;
      } else {
        outcome = decision.decidedBy();
        stoppedBy.merge(outcome, 1L, Long::sum);
      }
      List<SimulationReport.Example> kept = examples.computeIfAbsent(outcome, key -> new ArrayList<>());
      if (kept.size() < EXAMPLES) {
        kept.add(new SimulationReport.Example(received.alert().alert().alertname(),
            received.alert().alert().fingerprint(), received.alert().alert().startsAt(), received.receivedAt(),
            verdict.reason()));
      }
    }

    SimulationReport.RuleReport report() {
      return new SimulationReport.RuleReport(rule.name(), rule.action(), rule.target(), matched, acted, awaiting,
          dryRun, Collections.unmodifiableMap(stoppedBy), Collections.unmodifiableMap(examples));
    }
  }
}
