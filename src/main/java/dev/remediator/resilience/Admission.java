package dev.remediator.resilience;

import java.util.List;
import java.util.Objects;

/**
 * What the breakers say about running one more call: {@code allowed} or not, the reason an SRE
 * reads in the audit log, and any breaker that opened while asking (an alert group found
 * ineffective), which the caller escalates in the same transaction.
 */
public record Admission(boolean allowed, String reason, List<Opening> openings) {
  public Admission {
    Objects.requireNonNull(reason, "reason");
    openings = List.copyOf(openings);
  }

  static Admission allow(String reason) {
    return new Admission(true, reason, List.of());
  }

  static Admission refuse(String reason) {
    return new Admission(false, reason, List.of());
  }
}
