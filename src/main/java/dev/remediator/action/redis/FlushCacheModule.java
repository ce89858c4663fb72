package dev.remediator.action.redis;

import dev.remediator.action.Action;
import dev.remediator.action.ActionModule;
import dev.remediator.action.SharedClients;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;

/** {@code flush_cache} on a {@code redis} target, through the target's own small Jedis pool. */
public final class FlushCacheModule implements ActionModule {
  private static final FlushCacheSpec SPEC = new FlushCacheSpec();

  @Override
  public ActionSpec spec() {
    return SPEC;
  }

  @Override
  public TargetKind targetKind() {
    return TargetKind.REDIS;
  }

  @Override
  public Action open(Target target, SharedClients shared) {
    return new FlushCacheAction(target);
  }
}
