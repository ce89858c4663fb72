package dev.remediator.engine;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The guards in their fixed order. Every guard is asked, so the audit shows each verdict (a dry
 * run still shows what the cooldown would have said); the first verdict that does not pass
 * decides.
 */
public final class GuardChain {
  private final List<Guard> guards;

  public GuardChain(List<Guard> guards) {
    this.guards = List.copyOf(guards);
  }

  public Decision decide(DecisionContext context) throws SQLException {
    List<Decision.Step> steps = new ArrayList<>(guards.size());
    Verdict deciding = null;
    for (Guard guard : guards) {
      Verdict verdict = guard.check(context);
      steps.add(new Decision.Step(guard.name(), verdict));
      if (deciding == null && !verdict.passes()) {
        deciding = verdict;
      }
    }
    return new Decision(steps, deciding == null ? Verdict.pass("all guards passed") : deciding);
  }

  /** Every guard's verdict, in order, and the one that decides. */
  public record Decision(List<Step> steps, Verdict outcome) {
    public record Step(String guard, Verdict verdict) {}
  }
}
