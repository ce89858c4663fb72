package dev.remediator.engine;

import dev.remediator.config.Redaction;
import dev.remediator.json.Canonical;
import dev.remediator.store.FollowUp;
import java.util.Map;
import java.util.Optional;

/**
 * What an escalation says to a human: what happened, in words that fit its reason (failed,
 * breaker open, blast radius, approval requested or expired, not verified, interrupted), which
 * rule, action, target and alert it is about, and a link to the remediation. An approval request
 * also says how to approve it. Links are absolute with the external URL, else paths.
 */
final class EscalationMessage {
  private static final int TEXT_LIMIT = 1_000;

  private final Optional<String> externalUrl;

  EscalationMessage(Optional<String> externalUrl) {
    this.externalUrl = externalUrl.map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
  }

  /** Where the remediation of {@code followUp} is shown: {@code <external URL>/#/remediations/<id>}. */
  String link(FollowUp followUp) {
    return externalUrl.orElse("") + "/#/remediations/" + followUp.remediationId();
  }

  String text(FollowUp followUp) {
    String about = "rule " + text(followUp, "rule") + " %s " + text(followUp, "action") + " on target "
        + text(followUp, "target") + " for alert " + text(followUp, "alertname") + " (fingerprint "
        + text(followUp, "fingerprint") + ")";
    String summary = cut(text(followUp, "error"));
    String details = " Details: " + link(followUp);
    Optional<Escalations.Reason> reason = Escalations.Reason.fromWire(text(followUp, "reason"));
    if (reason.isEmpty()) {
      return "[remediator] remediation needs a human (" + text(followUp, "reason") + "): " + about.formatted("for")
          + ": " + summary + "." + details;
    }
    switch (reason.get()) {
      case FAILED:
        return "[remediator] remediation failed and needs a human: " + about.formatted("ran") + "; it failed after "
            + text(followUp, "attempts") + " attempt(s): " + summary + "." + details;
      case BREAKER_OPEN:
        return "[remediator] circuit breaker open, remediation not run: " + about.formatted("would have run") + ": "
            + summary + "." + details;
      case BLAST_RADIUS:
        return "[remediator] blast-radius limit reached, remediation not run: " + about.formatted("would have run")
            + ": " + summary + "." + details;
      case APPROVAL_EXPIRED:
        return "[remediator] approval expired, remediation not run: " + about.formatted("would have run") + "; "
            + summary + "." + details;
      case APPROVAL_REQUESTED:
        return "[remediator] approval needed: " + about.formatted("wants to run") + " with parameters "
            + cut(Canonical.json(params(followUp))) + "; it " + summary + ". Approve or reject it at "
            + link(followUp) + ", or " + approveCall(followUp) + ".";
      case NOT_VERIFIED:
        return "[remediator] remediation ran but did not fix it: " + about.formatted("ran")
            + "; verification failed: " + summary + "." + details;
      case INTERRUPTED:
        return "[remediator] remediation interrupted, check what it left: " + about.formatted("was running")
            + ": " + summary + "." + details;
      default:
        throw new IllegalStateException("no message for escalation reason " + reason.get());
    }
  }

  private String approveCall(FollowUp followUp) {
    String path = "/api/v1/remediations/" + followUp.remediationId() + "/approve";
    return externalUrl.map(url -> "curl -X POST -H \"Authorization: Bearer $REMEDIATOR_OPERATOR_TOKEN\" " + url + path)
        .orElse("POST " + path + " with the operator token");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> params(FollowUp followUp) {
    Object params = followUp.payload().get("params");
    return params instanceof Map<?, ?> map ? (Map<String, Object>) Redaction.structure(map) : Map.of();
  }

  private static String text(FollowUp followUp, String key) {
    Object value = followUp.payload().get(key);
    return value == null ? "" : value.toString();
  }

  static String cut(String text) {
    if (text == null || text.length() <= TEXT_LIMIT) {
      return text;
    }
    return text.substring(0, TEXT_LIMIT) + "... (" + (text.length() - TEXT_LIMIT) + " more characters)";
  }
}
