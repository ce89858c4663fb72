package dev.remediator.store;

import java.util.Map;

/** A remediation a worker has claimed and must now run, with the alert it is for. */
public record ClaimedRemediation(long id, String rule, String action, String target, Map<String, Object> params,
                                 int attempt, StoredAlert alert) {
  public RemediationRef ref() {
    return new RemediationRef(id, rule, action, target);
  }
}
