package dev.remediator.action;

import dev.remediator.rules.ActionSpec;

/** A remediation that really acts on a target. One implementation per action type. */
public interface Action {
  ActionSpec spec();

  /** Runs the action. Implementations decide retryable versus permanent where the failure happens. */
  ActionResult execute(ActionRequest request) throws InterruptedException;
}
