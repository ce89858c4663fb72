package dev.remediator.rules;

import java.util.Locale;

/** What happens to a remediation found running after its process died. */
public enum OnInterrupt {
  /** Tell a human (escalate_to): whether it acted is unknown. The default. */
  ESCALATE,
  /** Check that the alert still fires and decide the action again. */
  RECHECK;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
