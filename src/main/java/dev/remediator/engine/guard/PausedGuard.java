package dev.remediator.engine.guard;

import dev.remediator.engine.DecisionContext;
import dev.remediator.engine.Guard;
import dev.remediator.engine.KillSwitch;
import dev.remediator.engine.Verdict;
import dev.remediator.store.Pause;
import java.util.Optional;

/**
 * The kill switch, first in the chain: while remediator is paused every decision is skipped,
 * naming the pause's reason, who paused and until when. Reads the store at most once a second
 * ({@link KillSwitch#recent()}), so a batch of alerts costs one read.
 */
public final class PausedGuard implements Guard.OfWorld {
  private final KillSwitch killSwitch;

  public PausedGuard(KillSwitch killSwitch) {
    this.killSwitch = killSwitch;
  }

  @Override
  public String name() {
    return "paused";
  }

  @Override
  public Verdict check(DecisionContext context) {
    Optional<Pause> pause = killSwitch.recent();
    if (pause.isPresent() && pause.get().holdsAt(context.now())) {
      Pause p = pause.get();
      return new Verdict.Skip("remediator is paused by " + p.actor() + " " + p.until() + ": " + p.reason());
    }
    return new Verdict.Pass("not paused");
  }
}
