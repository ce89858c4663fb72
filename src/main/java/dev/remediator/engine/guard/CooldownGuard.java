package dev.remediator.engine.guard;

import dev.remediator.engine.DecisionContext;
import dev.remediator.engine.Guard;
import dev.remediator.engine.Verdict;
import dev.remediator.rules.PromDuration;
import dev.remediator.store.Ledger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A rule acts at most once per cooldown for each group (its {@code group_by} labels, or the
 * alert's whole label set). Read from the ledger, so it holds across restarts and replicas.
 */
public final class CooldownGuard implements Guard.OfLedger {
  @Override
  public String name() {
    return "cooldown";
  }

  @Override
  public Verdict check(DecisionContext context, Ledger ledger) {
    Optional<Duration> cooldown = context.rule().cooldown();
    if (cooldown.isEmpty()) {
      return new Verdict.Pass("no cooldown set");
    }
    Optional<Instant> last = ledger.lastActed(context.rule().name(), context.groupKey());
    String window = PromDuration.format(cooldown.get());
    if (last.isPresent() && last.get().plus(cooldown.get()).isAfter(context.now())) {
      return new Verdict.Skip("rule acted for group " + context.groupKey() + " at " + last.get()
          + "; cooldown " + window + " lasts until " + last.get().plus(cooldown.get()));
    }
    return new Verdict.Pass("no action for group " + context.groupKey() + " in the last " + window);
  }
}
