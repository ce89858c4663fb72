package dev.remediator.engine;

import dev.remediator.audit.AuditEvent;
import dev.remediator.rules.PromDuration;
import dev.remediator.rules.RateLimit;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.FollowUp;
import dev.remediator.store.Ledger;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.Pause;
import dev.remediator.store.StoredAlert;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The global {@code settings.max_actions}: once every rule together has used it up, something is
 * wrong beyond what one rule can see (a bad deploy, a flapping dependency), so remediator pauses
 * itself and asks a human, once, instead of skipping alert after alert; a human resumes it. A
 * rule's own {@code max_actions} stays a plain skip. Live decisions only: a dry run never pauses
 * live automation.
 */
public final class BlastRadius {
  /** The actor of the pause remediator puts on itself. */
  public static final String ACTOR = "remediator";

  private final KillSwitch killSwitch;
  private final OutboxStore outbox;

  public BlastRadius(KillSwitch killSwitch, OutboxStore outbox) {
    this.killSwitch = killSwitch;
    this.outbox = outbox;
  }

  /** Why the global limit stops automation ("blast radius: 5 actions in 10m"), when the ledger shows it used up. */
  static Optional<String> reached(RuleSet rules, Ledger ledger, Instant now) {
    if (ledger.budget() != Ledger.Budget.LIVE || rules.maxActions().isEmpty()) {
      return Optional.empty();
    }
    RateLimit limit = rules.maxActions().get();
    long used = ledger.countAllSince(now.minus(limit.per()), limit.count());
    if (used < limit.count()) {
      return Optional.empty();
    }
    return Optional.of("blast radius: " + used + " actions in " + PromDuration.format(limit.per()));
  }

  /**
   * In the decider's transaction: pauses remediator unless it is paused already and, when this
   * call paused it, escalates once about {@code remediation}, the decision that hit the limit.
   * Returns the new pause (to report to the kill switch after commit), or empty.
   */
  Optional<Pause> trip(Connection connection, RuleSet rules, Rule rule, StoredAlert alert, long remediation,
                       String reason, Instant now, List<AuditEvent> events) throws SQLException {
    Optional<Pause> pause = killSwitch.pauseUnlessPaused(connection, ACTOR, reason, now, events);
    if (pause.isEmpty()) {
      return pause;
    }
    Escalations.Subject subject = new Escalations.Subject(remediation, rule.name(), rule.action(), rule.target(),
        alert.alert().fingerprint(), alert.alert().alertname(), 0, Escalations.Reason.BLAST_RADIUS,
        reason + "; remediator paused itself until an operator resumes it", Map.of("paused", true));
    Optional<FollowUp> followUp = Escalations.followUp(rules, subject, now);
    if (followUp.isPresent()) {
      outbox.add(connection, followUp.get(), now);
    }
    return pause;
  }

  /** Tells the kill switch about a pause {@link #trip} wrote, once its transaction has committed. */
  void committed(Pause pause) {
    killSwitch.changed(pause);
  }
}
