package dev.remediator.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A remediation whose approval expired: it, the alert it was for ({@code alertId} is null when
 * retention has deleted the alert row) and when its approval ran out.
 */
public record ExpiredApproval(RemediationRef remediation, Long alertId, String fingerprint, String alertname,
                              Instant expiresAt) {
  public ExpiredApproval {
    Objects.requireNonNull(remediation, "remediation");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
