package dev.remediator.engine;

import dev.remediator.resilience.Opening;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.FollowUp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one way to ask for a human: an escalation follow-up for the outbox, written in the same
 * transaction as whatever made it necessary, so a crash never loses it. The {@link Escalator}
 * sends it to the rule's {@code escalate_to}, else the file's.
 */
public final class Escalations {
  private Escalations() {}

  /** Why a human is needed; the wire name is what the payload and the audit say. */
  public enum Reason {
    FAILED("failed"),
    BREAKER_OPEN("breaker_open"),
    BLAST_RADIUS("blast_radius"),
    APPROVAL_EXPIRED("approval_expired"),
    NOT_VERIFIED("not_verified"),
    INTERRUPTED("interrupted"),
    APPROVAL_REQUESTED("approval_requested");

    private final String wireName;

    Reason(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    /** The reason with this wire name; empty for a name no reason has. */
    public static Optional<Reason> fromWire(String wireName) {
      for (Reason reason : values()) {
        if (reason.wireName.equals(wireName)) {
          return Optional.of(reason);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * What the escalation is about: the remediation (its id, rule, action, target and alert), the
   * reason, a one-line {@code summary} of what happened, and any {@code detail} worth sending.
   */
  public record Subject(long remediationId, String rule, String action, String target, String fingerprint,
                        String alertname, int attempts, Reason reason, String summary, Map<String, Object> detail) {
    public Subject {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(summary, "summary");
      detail = detail == null ? Map.of() : Map.copyOf(detail);
    }
  }

  /** What to tell a human about {@code opening}, a breaker that {@code claim}'s call or claim opened. */
  static Subject breakerOpen(ClaimedRemediation claim, Opening opening) {
    Map<String, Object> detail = new LinkedHashMap<>(opening.counts());
    detail.put("openUntil", opening.until().toString());
    if (opening.key().isGroup()) {
      detail.put("group", opening.key().group());
    }
    return new Subject(claim.id(), claim.rule(), claim.action(), claim.target(), claim.alert().alert().fingerprint(),
        claim.alert().alert().alertname(), claim.attempt(), Reason.BREAKER_OPEN, opening.summary(), detail);
  }

  /** Where the rule named {@code rule} escalates: its own {@code escalate_to}, else the file's; empty when neither. */
  public static Optional<String> destination(RuleSet rules, String rule) {
    Optional<String> own = rule(rules, rule).flatMap(r -> r.safeguards().escalateTo());
    return own.isPresent() ? own : rules.escalateTo();
  }

  /** The follow-up that escalates {@code subject} now, or empty when the rules name nowhere to escalate to. */
  public static Optional<FollowUp> followUp(RuleSet rules, Subject subject, Instant now) {
    return destination(rules, subject.rule()).map(destination -> {
      Map<String, Object> payload = new LinkedHashMap<>(subject.detail());
      payload.put("escalateTo", destination);
      payload.put("reason", subject.reason().wireName());
      payload.put("rule", subject.rule());
      payload.put("action", subject.action());
      payload.put("target", subject.target());
      payload.put("fingerprint", subject.fingerprint());
      payload.put("alertname", subject.alertname());
      payload.put("attempts", subject.attempts());
      payload.put("error", subject.summary());
      return FollowUp.of(subject.remediationId(), FollowUp.Kind.ESCALATE, now, payload);
    });
  }

  /** The rule named {@code name} in {@code rules}, if it is loaded. */
  static Optional<Rule> rule(RuleSet rules, String name) {
    return rules.rules().stream().filter(r -> r.name().equals(name)).findFirst();
  }
}
