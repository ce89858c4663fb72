package dev.remediator.engine;

import java.util.Objects;

/** One guard's answer about one remediation, with the reason an SRE reads in the audit log. */
public record Verdict(Outcome outcome, String reason) {
  /** What the guard says should happen. Anything but PASS stops the action. */
  public enum Outcome {
    PASS, SKIP, DRY_RUN, AWAIT_APPROVAL;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Verdict {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
  }

  public static Verdict pass(String reason) {
    return new Verdict(Outcome.PASS, reason);
  }

  public static Verdict skip(String reason) {
    return new Verdict(Outcome.SKIP, reason);
  }

  public boolean passes() {
    return outcome == Outcome.PASS;
  }
}
