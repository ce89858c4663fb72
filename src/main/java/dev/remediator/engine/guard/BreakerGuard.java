package dev.remediator.engine.guard;

import dev.remediator.engine.DecisionContext;
import dev.remediator.engine.Guard;
import dev.remediator.engine.Verdict;
import dev.remediator.resilience.Admission;
import dev.remediator.resilience.Breakers;
import dev.remediator.rules.Rule;
import dev.remediator.store.BreakerKey;
import dev.remediator.store.Database;
import java.util.List;

/**
 * Skips the action while the breaker of its (action, target), or of its alert group when the
 * rule has {@code ineffective_after}, is open, naming until when. It reads the shared state without locking; the worker asks again
 * under the lock before running, so a breaker that opens in between still stops the call.
 */
public final class BreakerGuard implements Guard.OfWorld {
  private final Database database;
  private final Breakers breakers;

  public BreakerGuard(Database database, Breakers breakers) {
    this.database = database;
    this.breakers = breakers;
  }

  @Override
  public String name() {
    return "breaker";
  }

  @Override
  public Verdict check(DecisionContext context) {
    Rule rule = context.rule();
    BreakerKey shared = BreakerKey.of(rule.action(), rule.target());
    List<BreakerKey> keys = rule.safeguards().ineffectiveAfter().isPresent()
        ? List.of(shared, BreakerKey.ofGroup(rule.action(), rule.target(), rule.name(), context.groupKey()))
        : List.of(shared);
    Admission admission = database.inTransaction(connection -> breakers.peek(connection, keys, context.now()));
    return admission.allowed() ? new Verdict.Pass(admission.reason()) : new Verdict.Skip(admission.reason());
  }
}
