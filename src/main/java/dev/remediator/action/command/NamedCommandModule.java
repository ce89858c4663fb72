package dev.remediator.action.command;

import dev.remediator.action.Action;
import dev.remediator.action.ActionModule;
import dev.remediator.action.SharedClients;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;

/**
 * {@code restart} or {@code rollback} on a {@code command} target: the rule's argv list, run as a
 * child process under the action's name (e.g. {@code docker compose restart app}).
 */
public final class NamedCommandModule implements ActionModule {
  private final NamedCommandSpec spec;

  private NamedCommandModule(String name) {
    this.spec = new NamedCommandSpec(name);
  }

  /** {@code restart} on a command target, e.g. {@code systemctl restart app}. */
  public static NamedCommandModule restart() {
    return new NamedCommandModule("restart");
  }

  /** {@code rollback} on a command target, e.g. {@code ./scripts/rollback.sh v1.0.0}. */
  public static NamedCommandModule rollback() {
    return new NamedCommandModule("rollback");
  }

  @Override
  public ActionSpec spec() {
    return spec;
  }

  @Override
  public TargetKind targetKind() {
    return TargetKind.COMMAND;
  }

  @Override
  public Action open(Target target, SharedClients shared) {
    return new NamedCommandAction(spec, shared.env(), CommandAction.DEFAULT_KILL_GRACE);
  }
}
