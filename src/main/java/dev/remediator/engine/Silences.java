package dev.remediator.engine;

import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditEvent.Kind;
import dev.remediator.audit.AuditLog;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.Database;
import dev.remediator.store.RemediationRef;
import dev.remediator.store.SilenceStore;
import dev.remediator.store.StoredAlert;
import dev.remediator.upstream.AlertmanagerClient;
import dev.remediator.upstream.AlertmanagerException;
import dev.remediator.upstream.SilenceRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Alertmanager silences of rules with {@code silence_while_remediating}: one is created just
 * before the action runs, matching every label of the alert, and ends by itself after the rule's
 * duration, so a crash can at worst leave it until then. {@link #release} expires it early once
 * the remediation is over (when its action finished, or for a rule with {@code verify:}, when
 * verification ended). Each step is audited, and neither creating nor expiring a silence can
 * fail or hold up a remediation: a silence only keeps people from being paged for what is being
 * mended.
 */
public final class Silences {
  static final String CREATED_BY = "remediator";
  private static final Logger log = LoggerFactory.getLogger(Silences.class);

  private final Database database;
  private final SilenceStore store;
  private final AuditLog audit;
  private final Optional<AlertmanagerClient> alertmanager;
  private final Supplier<RuleSet> rules;
  private final Clock clock;
  private final String actor;

  public Silences(Database database, SilenceStore store, AuditLog audit, Optional<AlertmanagerClient> alertmanager,
                  Supplier<RuleSet> rules, Clock clock, String actor) {
    this.database = database;
    this.store = store;
    this.audit = audit;
    this.alertmanager = alertmanager;
    this.rules = rules;
    this.clock = clock;
    this.actor = actor;
  }

  /** The decorator that holds the silence around the rest of the chain. */
  ActionPipeline.Decorator decorator() {
    return (claim, next) -> {
      hold(claim);
      return next.run(claim);
    };
  }

  /**
   * Creates the silence for {@code claim} when its rule asks for one and it holds none yet (a
   * retry keeps the first attempt's silence). Never throws.
   */
  void hold(ClaimedRemediation claim) {
    Optional<Duration> duration = rule(claim.rule()).flatMap(rule -> rule.safeguards().silenceWhileRemediating());
    if (duration.isEmpty()) {
      return;
    }
    try {
      if (database.inTransaction(connection -> store.held(connection, claim.id())).isPresent()) {
        return;
      }
      if (alertmanager.isEmpty()) {
        failed(claim.alert(), claim.ref(), "REMEDIATOR_ALERTMANAGER_URL is not set, so no silence can be created");
        return;
      }
      Instant now = clock.instant();
      Instant endsAt = now.plus(duration.get());
      String silenceId = alertmanager.get().silence(new SilenceRequest(claim.alert().alert().labels(), now, endsAt,
          CREATED_BY, "remediator: rule " + claim.rule() + ", remediation " + claim.id() + " ("
          + claim.action() + " on " + claim.target() + "); expired when it is over, or at " + endsAt + " at the latest"));
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("silenceId", silenceId);
      detail.put("alertmanager", alertmanager.get().url());
      detail.put("endsAt", endsAt.toString());
      detail.put("matchers", claim.alert().alert().labels().asMap().keySet().stream().toList());
      database.inTransaction(connection -> {
        store.hold(connection, claim.id(), silenceId);
        audit.append(connection, List.of(AuditEvent.forRemediation(now, Kind.SILENCED, actor, claim.alert(),
            claim.ref(), "silenced", detail)));
        return null;
      });
    } catch (AlertmanagerException | IllegalArgumentException e) {
      failed(claim.alert(), claim.ref(), "could not create the silence: " + e.getMessage());
    } catch (RuntimeException e) {
      log.atWarn().addKeyValue("remediation", claim.id()).setCause(e)
          .log("could not record the silence of remediation {}; it lapses by itself", claim.id());
    }
  }

  /**
   * Expires the silence remediation {@code remediationId} holds, if any, and audits it; a
   * second call finds nothing to do. Call it when the remediation is over: its action finished
   * (rules without {@code verify:}), or its verification ended. Never throws.
   */
  public void release(long remediationId) {
    try {
      Optional<SilenceStore.Held> held = database.inTransaction(connection -> store.held(connection, remediationId));
      if (held.isEmpty()) {
        return;
      }
      SilenceStore.Held silence = held.get();
      if (alertmanager.isEmpty()) {
        failed(silence.alert(), silence.remediation(), "REMEDIATOR_ALERTMANAGER_URL is not set, so silence "
            + silence.silenceId() + " cannot be expired; it lapses by itself");
        return;
      }
      try {
        alertmanager.get().expire(silence.silenceId());
      } catch (AlertmanagerException e) {
        failed(silence.alert(), silence.remediation(), "could not expire silence " + silence.silenceId()
            + "; it lapses by itself: " + e.getMessage());
        return;
      }
      Instant now = clock.instant();
      database.inTransaction(connection -> {
        if (store.release(connection, remediationId, silence.silenceId(), now)) {
          audit.append(connection, List.of(AuditEvent.forRemediation(now, Kind.UNSILENCED, actor, silence.alert(),
              silence.remediation(), "unsilenced", Map.of("silenceId", silence.silenceId()))));
        }
        return null;
      });
    } catch (RuntimeException e) {
      log.atWarn().addKeyValue("remediation", remediationId).setCause(e)
          .log("could not release the silence of remediation {}; it lapses by itself", remediationId);
    }
  }

  private Optional<Rule> rule(String name) {
    return rules.get().rules().stream().filter(rule -> rule.name().equals(name)).findFirst();
  }

  /** True when the remediation's silence is released once its action ends: its rule verifies nothing. */
  boolean releasedWhenActionEnds(String ruleName) {
    return rule(ruleName).map(rule -> rule.safeguards().verify().isEmpty()).orElse(true);
  }

  private void failed(StoredAlert alert, RemediationRef remediation, String error) {
    log.atWarn().addKeyValue("remediation", remediation.id()).addKeyValue("rule", remediation.rule())
        .addKeyValue("error", error).log("silence failed: {}", error);
    try {
      database.inTransaction(connection -> {
        audit.append(connection, List.of(AuditEvent.forRemediation(clock.instant(), Kind.SILENCE_FAILED, actor, alert,
            remediation, "silence_failed", Map.of("error", error))));
        return null;
      });
    } catch (RuntimeException e) {
      log.atWarn().addKeyValue("remediation", remediation.id()).setCause(e).log("could not audit the silence failure");
    }
  }
}
