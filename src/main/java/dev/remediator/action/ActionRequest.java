package dev.remediator.action;

import dev.remediator.alert.Alert;
import dev.remediator.target.Target;
import java.util.Map;
import java.util.Objects;

/**
 * One remediation to carry out: the rule's {@code with} parameters already rendered from the
 * alert and checked against the rule's allowlist at decision time.
 */
public record ActionRequest(long remediationId, String rule, Target target, Map<String, Object> params, Alert alert) {
  public ActionRequest {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(alert, "alert");
    params = params == null ? Map.of() : params;
  }
}
