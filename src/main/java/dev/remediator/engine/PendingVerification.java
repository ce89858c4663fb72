package dev.remediator.engine;

import dev.remediator.rules.Expectation;
import dev.remediator.rules.PromCheck;
import dev.remediator.rules.PromDuration;
import dev.remediator.rules.Verification;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.FollowUp;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A verification waiting in the outbox: which remediation and alert occurrence it is about, the
 * check copied from the rule when the action succeeded (so a reload cannot change a check under
 * way), and its deadline. It round-trips through the follow-up's payload, which is what survives
 * a restart.
 */
public record PendingVerification(long remediationId, String rule, String action, String target, String fingerprint,
                                  String alertname, Instant startsAt, int attempts, Verification check,
                                  Instant deadline) {
  static final String RESOLVED_WITHIN = "resolved_within";
  static final String PROMQL = "promql";
  static final String HTTP_GET = "http_get";

  public PendingVerification {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(startsAt, "startsAt");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(deadline, "deadline");
  }

  /** The verification of {@code claimed}, whose action succeeded at {@code actedAt}. */
  static PendingVerification of(ClaimedRemediation claimed, Verification check, Instant actedAt) {
    return new PendingVerification(claimed.id(), claimed.rule(), claimed.action(), claimed.target(),
        claimed.alert().alert().fingerprint(), claimed.alert().alert().alertname(), claimed.alert().alert().startsAt(),
        claimed.attempt(), check, actedAt.plus(check.within()));
  }

  /** The follow-up that runs the first check at {@code firstPoll}. */
  FollowUp followUp(Instant firstPoll) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("rule", rule);
    payload.put("action", action);
    payload.put("target", target);
    payload.put("fingerprint", fingerprint);
    payload.put("alertname", alertname);
    payload.put("startsAt", startsAt.toString());
    payload.put("attempts", attempts);
    payload.put("check", kind(check));
    payload.put("within", PromDuration.format(check.within()));
    payload.put("deadline", deadline.toString());
    if (check instanceof Verification.Query query) {
      payload.put("promql", query.check().promql());
      payload.put("expect", query.check().expect().toString());
    } else if (check instanceof Verification.HttpGet get) {
      payload.put("url", get.url().toString());
      payload.put("status", get.status());
    }
    return FollowUp.of(remediationId, FollowUp.Kind.VERIFY, firstPoll.isAfter(deadline) ? deadline : firstPoll,
        payload);
  }

  /** Reads the verification back from its follow-up; throws IllegalArgumentException when the payload is not one. */
  static PendingVerification from(FollowUp followUp) {
    Map<String, Object> p = followUp.payload();
    Duration within = PromDuration.parse(text(p, "within"));
    String kind = text(p, "check");
    Verification check = switch (kind) {
      case RESOLVED_WITHIN -> new Verification.ResolvedWithin(within);
      case PROMQL -> new Verification.Query(new PromCheck(text(p, "promql"), Expectation.parse(text(p, "expect"))),
          within);
      case HTTP_GET -> new Verification.HttpGet(URI.create(text(p, "url")), Integer.parseInt(text(p, "status")),
          within);
      default -> throw new IllegalArgumentException("unknown verification check \"" + kind + "\"");
    };
    return new PendingVerification(followUp.remediationId(), text(p, "rule"), text(p, "action"), text(p, "target"),
        text(p, "fingerprint"), text(p, "alertname"), Instant.parse(text(p, "startsAt")),
        Integer.parseInt(text(p, "attempts")), check, Instant.parse(text(p, "deadline")));
  }

  /** The check as the audit and the escalation say it, e.g. {@code promql up == 1 within 5m}. */
  String describe() {
    String within = " within " + PromDuration.format(check.within());
    if (check instanceof Verification.Query query) {
      return "promql " + query.check().promql() + " " + query.check().expect() + within;
    }
    if (check instanceof Verification.HttpGet get) {
      return "http_get " + get.url() + " answering " + get.status() + within;
    }
    return "resolved" + within;
  }

  static String kind(Verification check) {
    if (check instanceof Verification.Query) {
      return PROMQL;
    }
    if (check instanceof Verification.HttpGet) {
      return HTTP_GET;
    }
    return RESOLVED_WITHIN;
  }

  private static String text(Map<String, Object> payload, String key) {
    Object value = payload.get(key);
    if (value == null) {
      throw new IllegalArgumentException("verification payload has no " + key);
    }
    return value.toString();
  }
}
