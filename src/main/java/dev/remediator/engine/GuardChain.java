package dev.remediator.engine;

import dev.remediator.store.Ledger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The guards in the order of {@link #ORDER}, asked in two phases: {@link #prepare} asks those
 * that answer from the context alone, outside any transaction; {@link #decide} asks those that
 * count in a ledger, under the decider lock, and settles the outcome. Every guard is asked, so
 * the audit shows each verdict; the first verdict that does not pass decides.
 *
 * <p>A dry run decides exactly as live would, against the dry-run budget: when live would act
 * the outcome is a {@link Verdict.DryRun} saying so, and when live would skip it is the same
 * {@link Verdict.Skip}, marked as a dry run.
 */
public final class GuardChain {
  /**
   * The order guards are asked in, as the SPEC gives it: paused, dry run, cooldown, rate limits
   * (the rule's, the global blast radius, and the fraction of a service's instances), breaker
   * open, allowlists, approval required, PromQL guard. A chain holds any subset, in this order.
   */
  public static final List<String> ORDER = List.of("paused", "dry_run", "cooldown", "rate_limit", "max_fraction",
      "breaker", "allowlist", "approval", "promql");

  private static final String ALL_PASSED = "all guards passed";

  private final List<Guard> guards;

  /** Orders {@code guards} by {@link #ORDER}; each must have a place there, and only one guard each. */
  public GuardChain(Collection<? extends Guard> guards) {
    Map<String, Guard> byName = new HashMap<>();
    for (Guard guard : guards) {
      if (!ORDER.contains(guard.name())) {
        throw new IllegalArgumentException("guard " + guard.name() + " has no place in the guard order " + ORDER);
      }
      if (byName.put(guard.name(), guard) != null) {
        throw new IllegalArgumentException("guard " + guard.name() + " is given twice");
      }
    }
    List<Guard> ordered = new ArrayList<>();
    for (String name : ORDER) {
      if (byName.containsKey(name)) {
        ordered.add(byName.get(name));
      }
    }
    this.guards = List.copyOf(ordered);
  }

  /** The guards' names in the order they are asked. */
  public List<String> names() {
    return guards.stream().map(Guard::name).toList();
  }

  /** Phase 1: asks every guard that answers from the context alone or from the world. */
  public Prepared prepare(DecisionContext context) {
    List<Verdict> verdicts = new ArrayList<>(guards.size());
    boolean dryRun = false;
    for (Guard guard : guards) {
      Verdict verdict = null;
      if (guard instanceof Guard.OfContext ofContext) {
        verdict = ofContext.check(context);
      } else if (guard instanceof Guard.OfWorld ofWorld) {
        verdict = askWorld(ofWorld, context);
      }
      dryRun |= verdict instanceof Verdict.DryRun;
      verdicts.add(verdict);
    }
    return new Prepared(context, verdicts, dryRun ? Ledger.Budget.DRY_RUN : Ledger.Budget.LIVE);
  }

  private static Verdict askWorld(Guard.OfWorld guard, DecisionContext context) {
    try {
      Verdict verdict = guard.check(context);
      return verdict == null ? new Verdict.Skip(guard.name() + " gave no answer") : verdict;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Verdict.Skip("could not check " + guard.name() + ": interrupted");
    } catch (Exception e) {
      return new Verdict.Skip("could not check " + guard.name() + ": " + e.getMessage());
    }
  }

  /** Phase 2: asks the guards that count, in {@code ledger} (of the prepared budget), and settles the outcome. */
  public Decision decide(Prepared prepared, Ledger ledger) {
    if (ledger.budget() != prepared.budget()) {
      throw new IllegalArgumentException("a " + prepared.budget() + " decision must count in the " + prepared.budget()
          + " ledger, not the " + ledger.budget() + " one");
    }
    List<Decision.Step> steps = new ArrayList<>(guards.size());
    Decision.Step dryRun = null;
    Decision.Step live = null;
    for (int i = 0; i < guards.size(); i++) {
      Guard guard = guards.get(i);
      Verdict verdict = prepared.verdicts.get(i);
      if (guard instanceof Guard.OfLedger ofLedger) {
        verdict = ofLedger.check(prepared.context(), ledger);
      }
      Decision.Step step = new Decision.Step(guard.name(), verdict);
      steps.add(step);
      if (verdict instanceof Verdict.DryRun) {
        dryRun = dryRun == null ? step : dryRun;
      } else if (live == null && !verdict.passes()) {
        live = step;
      }
    }
    if (dryRun == null) {
      return live == null
          ? new Decision(steps, new Verdict.Pass(ALL_PASSED), null, prepared.budget())
          : new Decision(steps, live.verdict(), live.guard(), prepared.budget());
    }
    String because = dryRun.verdict().reason();
    if (live == null) {
      return new Decision(steps, new Verdict.DryRun(because + "; would run: " + ALL_PASSED), dryRun.guard(),
          prepared.budget());
    }
    if (live.verdict() instanceof Verdict.AwaitApproval) {
      return new Decision(steps, new Verdict.DryRun(because + "; would await approval: " + live.verdict().reason()),
          dryRun.guard(), prepared.budget());
    }
    return new Decision(steps, new Verdict.Skip(because + "; would skip: " + live.verdict().reason()), live.guard(),
        prepared.budget());
  }

  /**
   * What phase 1 found for one (rule, alert): the context guards' verdicts in chain order (null
   * where a guard counts and has yet to be asked), and the budget the counting guards count in.
   */
  public static final class Prepared {
    private final DecisionContext context;
    private final List<Verdict> verdicts;
    private final Ledger.Budget budget;

    private Prepared(DecisionContext context, List<Verdict> verdicts, Ledger.Budget budget) {
      this.context = context;
      this.verdicts = verdicts;
      this.budget = budget;
    }

    public DecisionContext context() {
      return context;
    }

    public Ledger.Budget budget() {
      return budget;
    }
  }

  /**
   * Every guard's verdict, in order; the outcome; the guard whose verdict decided it (null when
   * all passed); and the budget the decision is charged to when it {@link #counts()}.
   */
  public record Decision(List<Step> steps, Verdict outcome, String decidedBy, Ledger.Budget budget) {
    public record Step(String guard, Verdict verdict) {}

    public Decision {
      steps = List.copyOf(steps);
    }

    /** True when the decision uses up cooldown and rate-limit budget: it will or may act, or a dry run says live would. */
    public boolean counts() {
      return !(outcome instanceof Verdict.Skip);
    }
  }
}
