package dev.remediator.engine;

import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditEvent.Kind;
import dev.remediator.audit.AuditLog;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.Database;
import dev.remediator.store.Ledger;
import dev.remediator.store.NewRemediation;
import dev.remediator.store.RecheckDue;
import dev.remediator.store.RemediationLedger;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides again the remediations interrupted under {@code on_interrupt: recheck} while their alert
 * still fired ({@code rechecking}), exactly as the {@link Decider} decides an alert: the guards
 * that need no counts first, outside any transaction, then, under the decider lock, the guards
 * that count. The interrupted remediation stops counting before they are asked, so a cooldown or
 * rate limit never holds it back on its own account; whatever else acted meanwhile does. It runs
 * again only when every guard passes; otherwise it ends skipped, awaits approval, or is a dry run,
 * as the verdict says, every verdict audited. It keeps the params it was decided with, any pinned
 * state included, so deciding again never pins anew. A resolved alert cancels it meanwhile, like
 * anything that has not started.
 */
public final class Rechecker {
  private static final String ACTOR = "remediator";
  private static final Map<String, Object> ABOUT =
      Map.of("recheck", "decided again after it was interrupted (on_interrupt: recheck)");

  private final Decider decider;
  private final GuardChain guards;
  private final AlertInbox inbox;
  private final RemediationStore remediations;
  private final AuditLog audit;
  private final Supplier<RuleSet> rules;
  private final Clock clock;

  public Rechecker(Decider decider, GuardChain guards, AlertInbox inbox, RemediationStore remediations,
                   AuditLog audit, Supplier<RuleSet> rules, Clock clock) {
    this.decider = decider;
    this.guards = guards;
    this.inbox = inbox;
    this.remediations = remediations;
    this.audit = audit;
    this.rules = rules;
    this.clock = clock;
  }

  /** Decides again up to {@code limit} remediations waiting for it; returns how many it decided. */
  public int recheckBatch(Database database, int limit) {
    List<RecheckDue> due = database.inTransaction(connection -> remediations.rechecksDue(connection, limit));
    if (due.isEmpty()) {
      return 0;
    }
    Instant now = clock.instant();
    RuleSet ruleSet = rules.get();
    List<Optional<GuardChain.Prepared>> prepared = new ArrayList<>(due.size());
    for (RecheckDue recheck : due) {
      prepared.add(ruleSet.rule(recheck.remediation().rule()).map(rule -> guards.prepare(new DecisionContext(ruleSet,
          rule, recheck.alert(), recheck.groupKey(), now, recheck.params(), null))));
    }
    List<Runnable> afterCommit = new ArrayList<>();
    int decided = database.inTransaction(connection -> {
      afterCommit.clear();
      inbox.lock(connection);
      List<AuditEvent> events = new ArrayList<>();
      int count = 0;
      for (int i = 0; i < due.size(); i++) {
        RecheckDue recheck = due.get(i);
        long id = recheck.remediation().id();
        if (!remediations.uncountRecheck(connection, id)) {
          continue;
        }
        count++;
        if (prepared.get(i).isEmpty()) {
          String reason = "rule " + recheck.remediation().rule() + " is no longer loaded";
          remediations.redecide(connection, id, new NewRemediation(recheck.remediation().rule(), recheck.alert(),
              recheck.remediation().action(), recheck.remediation().target(), recheck.groupKey(),
              RemediationState.SKIPPED, reason, recheck.params(), false, now));
          events.add(AuditEvent.forRemediation(now, Kind.DECIDED, ACTOR, recheck.alert(), recheck.remediation(),
              RemediationState.SKIPPED.wireName(), Map.of("state", RemediationState.SKIPPED.wireName(),
                  "reason", reason, "recheck", ABOUT.get("recheck"))));
          continue;
        }
        GuardChain.Prepared first = prepared.get(i).get();
        Ledger ledger = new RemediationLedger(connection, first.budget());
        GuardChain.Decision decision = guards.decide(first, ledger);
        NewRemediation remediation = Decider.remediation(first.context(), decision);
        remediations.redecide(connection, id, remediation);
        Rule rule = first.context().rule();
        decider.recorded(connection, ruleSet, rule, id, remediation, decision, ledger, ACTOR, ABOUT, now, events,
            afterCommit);
      }
      audit.append(connection, events);
      return count;
    });
    afterCommit.forEach(Runnable::run);
    return decided;
  }
}
