package dev.remediator.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One remediation as the read API shows it: what was decided (rule, action, target, rendered
 * params, state and why), how running it went (attempts, times, error, verification), when an
 * approval it awaits expires, and the alert it is for. {@code alert} is null once retention has
 * deleted the alert row; the fingerprint, name and startsAt of the remediation itself remain.
 */
public record RemediationView(long id, RemediationState state, String rule, String action, String target,
                              Map<String, Object> params, String reason, Instant decidedAt, int attempts,
                              Instant startedAt, Instant finishedAt, String error, String verification,
                              Instant expiresAt, String fingerprint, String alertname, Instant startsAt,
                              AlertView alert) {
  public RemediationView {
    Objects.requireNonNull(state, "state");
    params = params == null ? Map.of() : params;
  }

  /** The stored alert occurrence: its status when stored, labels and annotations. */
  public record AlertView(String status, Map<String, String> labels, Map<String, String> annotations,
                          Instant endsAt, String generatorUrl) {}
}
