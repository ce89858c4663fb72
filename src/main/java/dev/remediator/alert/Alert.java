package dev.remediator.alert;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One alert as sent by Alertmanager's webhook receiver (payload version 4). {@code endsAt} is
 * empty for Alertmanager's zero time ({@code 0001-01-01T00:00:00Z}), which firing alerts carry.
 */
public record Alert(AlertStatus status, Labels labels, Labels annotations, Instant startsAt,
                    Optional<Instant> endsAt, String generatorURL, String fingerprint) {
  public Alert {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startsAt, "startsAt");
    labels = labels == null ? Labels.EMPTY : labels;
    annotations = annotations == null ? Labels.EMPTY : annotations;
    endsAt = endsAt == null ? Optional.empty() : endsAt;
    generatorURL = generatorURL == null ? "" : generatorURL;
    if (fingerprint == null || fingerprint.isBlank()) {
      fingerprint = Fingerprint.of(labels);
    }
  }

  public String alertname() {
    return labels.get("alertname");
  }
}
