package dev.remediator.engine;

import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditLog;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.Database;
import dev.remediator.store.ExpiredApproval;
import dev.remediator.store.FollowUp;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.RemediationRef;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends approvals nobody gave in time: a remediation still awaiting approval after its rule's
 * {@code approval_ttl} becomes {@code expired} and never runs. The state change, its audit event
 * and the escalation that tells {@code escalate_to} commit together, so an approval expires, is
 * audited and is escalated exactly once, whichever replica sees it first.
 */
public final class ApprovalExpiry {
  /** Expired approvals handled per transaction. */
  static final int BATCH = 50;
  private static final String ACTOR = "remediator";
  private static final Logger log = LoggerFactory.getLogger(ApprovalExpiry.class);

  private final Database database;
  private final RemediationStore remediations;
  private final OutboxStore outbox;
  private final AuditLog audit;
  private final Supplier<RuleSet> rules;
  private final Clock clock;

  public ApprovalExpiry(Database database, RemediationStore remediations, OutboxStore outbox, AuditLog audit,
                        Supplier<RuleSet> rules, Clock clock) {
    this.database = database;
    this.remediations = remediations;
    this.outbox = outbox;
    this.audit = audit;
    this.rules = rules;
    this.clock = clock;
  }

  /** Expires a batch of approvals whose time ran out; returns how many it expired. */
  public int expireDue() {
    Instant now = clock.instant();
    List<ExpiredApproval> expired = database.inTransaction(connection ->
        expire(connection, now, OptionalLong.empty()));
    for (ExpiredApproval e : expired) {
      log.atWarn().addKeyValue("remediation", e.remediation().id()).addKeyValue("rule", e.remediation().rule())
          .addKeyValue("fingerprint", e.fingerprint()).addKeyValue("expiresAt", e.expiresAt())
          .log("approval of remediation {} for rule {} expired at {}; it will not run", e.remediation().id(),
              e.remediation().rule(), e.expiresAt());
    }
    return expired.size();
  }

  /**
   * In the caller's transaction: expires remediation {@code id} if its approval has run out by
   * {@code now}, so an operator can never approve what has already expired.
   */
  void expireIfDue(Connection connection, long id, Instant now) throws SQLException {
    expire(connection, now, OptionalLong.of(id));
  }

  private List<ExpiredApproval> expire(Connection connection, Instant now, OptionalLong only) throws SQLException {
    List<ExpiredApproval> expired = remediations.expireDue(connection, now, only, BATCH);
    RuleSet ruleSet = rules.get();
    List<AuditEvent> events = new ArrayList<>(expired.size());
    for (ExpiredApproval e : expired) {
      RemediationRef r = e.remediation();
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("expiresAt", e.expiresAt().toString());
      detail.put("reason", "nobody approved or rejected it within the rule's approval_ttl");
      events.add(new AuditEvent(now, AuditEvent.Kind.APPROVAL_EXPIRED, ACTOR, null, e.alertId(), r.id(),
          e.fingerprint(), e.alertname(), r.rule(), r.action(), r.target(), RemediationState.EXPIRED.wireName(),
          detail));
      Optional<FollowUp> escalation = Escalations.followUp(ruleSet, new Escalations.Subject(r.id(), r.rule(),
          r.action(), r.target(), e.fingerprint(), e.alertname(), 0, Escalations.Reason.APPROVAL_EXPIRED,
          "nobody approved it before " + e.expiresAt(), Map.of("expiresAt", e.expiresAt().toString())), now);
      if (escalation.isPresent()) {
        outbox.add(connection, escalation.get(), now);
      }
    }
    audit.append(connection, events);
    return expired;
  }
}
