package dev.remediator.action;

import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;

/**
 * One action on one kind of target, e.g. {@code notify} on {@code webhook}: its spec, known
 * offline for {@code check}, and a factory of the runnable action bound to one target for
 * {@code serve}. The same list of modules serves both.
 */
public interface ActionModule {
  ActionSpec spec();

  /** The target kind this module acts on; one of {@code spec().targetKinds()}. */
  TargetKind targetKind();

  /**
   * The action for {@code target} (of {@link #targetKind()}), with its own clients derived from
   * {@code shared}. If the returned action is {@link AutoCloseable}, it is closed once a reload
   * has replaced it and no action still runs on it.
   */
  Action open(Target target, SharedClients shared);
}
