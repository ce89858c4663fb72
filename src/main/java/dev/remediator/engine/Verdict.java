package dev.remediator.engine;

import java.util.Objects;

/**
 * One guard's answer about one remediation, with the reason an SRE reads in the audit log.
 * Anything but {@link Pass} stops the action.
 */
public sealed interface Verdict {
  String reason();

  /** The verdict as audited: {@code pass}, {@code skip}, {@code dry_run} or {@code await_approval}. */
  String wireName();

  default boolean passes() {
    return this instanceof Pass;
  }

  /** Nothing in this guard's way. */
  record Pass(String reason) implements Verdict {
    public Pass {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String wireName() {
      return "pass";
    }
  }

  /** This guard refuses the action (a cooldown, a limit, a value not allowed). */
  record Skip(String reason) implements Verdict {
    public Skip {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String wireName() {
      return "skip";
    }
  }

  /** Decide and audit exactly as live would, and execute nothing. */
  record DryRun(String reason) implements Verdict {
    public DryRun {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String wireName() {
      return "dry_run";
    }
  }

  /** Hold the remediation until an operator approves or rejects it. */
  record AwaitApproval(String reason) implements Verdict {
    public AwaitApproval {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String wireName() {
      return "await_approval";
    }
  }
}
