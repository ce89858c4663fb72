package dev.remediator.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One stored occurrence of an alert (its start in one status), when it was first received, and
 * the remediations decided for it.
 */
public record AlertOccurrence(long id, Instant startsAt, Instant endsAt, String status, Map<String, String> labels,
                              Map<String, String> annotations, Instant received, List<Remediation> remediations) {
  public AlertOccurrence {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    remediations = List.copyOf(remediations);
  }

  /** A remediation as the alert's history shows it; {@code finishedAt} is null until it ends. */
  public record Remediation(long id, String rule, String action, String target, String state, Instant decidedAt,
                            Instant finishedAt) {}
}
