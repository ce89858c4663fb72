package dev.remediator.engine;

import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditLog;
import dev.remediator.rules.RulesHolder;
import dev.remediator.store.Database;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reloads the rules file on request (HTTP or SIGHUP) and audits who asked and what came of it. */
public final class RulesReloader {
  private static final Logger log = LoggerFactory.getLogger(RulesReloader.class);

  private final RulesHolder rules;
  private final Database database;
  private final AuditLog audit;
  private final Clock clock;

  public RulesReloader(RulesHolder rules, Database database, AuditLog audit, Clock clock) {
    this.rules = rules;
    this.database = database;
    this.audit = audit;
    this.clock = clock;
  }

  public RulesHolder.Reload reload(String actor) {
    RulesHolder.Reload result = rules.reload();
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("file", rules.path().toString());
    detail.put("rulesInForce", result.rulesInForce());
    detail.put("problems", result.problems());
    AuditEvent event = AuditEvent.system(clock.instant(),
        result.loaded() ? AuditEvent.Kind.RULES_RELOADED : AuditEvent.Kind.RULES_REJECTED, actor,
        result.loaded() ? "loaded" : "rejected", detail);
    try {
      database.inTransaction(connection -> {
        audit.append(connection, List.of(event));
        return null;
      });
    } catch (RuntimeException e) {
      log.warn("rules reload by {} could not be audited: {}", actor, e.getMessage());
    }
    return result;
  }
}
