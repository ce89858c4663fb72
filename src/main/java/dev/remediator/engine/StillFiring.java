package dev.remediator.engine;

import dev.remediator.action.ActionResult;
import dev.remediator.alert.Alert;
import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditLog;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.Database;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.RemediationQueue;
import dev.remediator.store.StoreException;
import dev.remediator.store.StoreUnavailableException;
import dev.remediator.upstream.AlertmanagerClient;
import dev.remediator.upstream.AlertmanagerException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the action only while its alert still fires: once a resolved notification for the same
 * occurrence is stored, the remediation is cancelled instead. When the store cannot say, the
 * attempt is retried later; nothing has reached the target, so that is safe.
 *
 * <p>With an Alertmanager configured, it is also asked, just before acting, whether it still
 * lists the alert (by fingerprint, among the alerts with its labels) as firing: a notification
 * may be minutes old, and the resolved one may not have arrived yet. When it no longer does, the
 * remediation is cancelled as superseded. When Alertmanager cannot be reached, the action goes
 * ahead on the stored state, and the audit log says the re-check was unavailable: an outage of
 * Alertmanager is exactly when remediation must not stop. Alerts that did not come from an
 * Alertmanager (Grafana's contact point sends payload version 1) are not in its API, so they
 * are not re-checked there.
 */
final class StillFiring implements ActionPipeline.Decorator {
  static final String RESOLVED = "alert resolved before the action started";
  static final String SUPERSEDED = "superseded: Alertmanager no longer lists the alert as firing";
  private static final String ALERTMANAGER_PAYLOAD = "4";
  private static final Logger log = LoggerFactory.getLogger(StillFiring.class);

  private final Database database;
  private final RemediationQueue queue;
  private final NotificationStore notifications = new NotificationStore();
  private final Optional<AlertmanagerClient> alertmanager;
  private final AuditLog audit;
  private final Clock clock;
  private final String actor;

  StillFiring(Database database, RemediationQueue queue, Optional<AlertmanagerClient> alertmanager, AuditLog audit,
              Clock clock, String actor) {
    this.database = database;
    this.queue = queue;
    this.alertmanager = alertmanager;
    this.audit = audit;
    this.clock = clock;
    this.actor = actor;
  }

  @Override
  public ActionResult around(ClaimedRemediation claim, ActionPipeline.Step next) throws InterruptedException {
    boolean resolved;
    boolean fromAlertmanager;
    try {
      resolved = database.inTransaction(connection ->
          queue.isResolved(connection, claim.alert().alert().fingerprint(), claim.alert().alert().startsAt()));
      fromAlertmanager = alertmanager.isPresent() && database.inTransaction(connection -> notifications
          .version(connection, claim.alert().notificationId()).map(ALERTMANAGER_PAYLOAD::equals).orElse(true));
    } catch (StoreException | StoreUnavailableException e) {
      return new ActionResult.Retryable("could not check that the alert still fires: " + e.getMessage(), e,
          ActionResult.Reached.NOTHING);
    }
    if (resolved) {
      return new ActionResult.Cancelled(RESOLVED);
    }
    if (fromAlertmanager && !firingInAlertmanager(claim, alertmanager.get())) {
      return new ActionResult.Cancelled(SUPERSEDED);
    }
    return next.run(claim);
  }

  /** True when Alertmanager lists the alert as firing, or cannot be asked (audited). */
  private boolean firingInAlertmanager(ClaimedRemediation claim, AlertmanagerClient client) {
    Alert alert = claim.alert().alert();
    try {
      return client.firing(alert.labels()).stream().anyMatch(listed -> listed.fingerprint().equals(alert.fingerprint()));
    } catch (AlertmanagerException e) {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("alertmanager", client.url());
      detail.put("error", e.getMessage());
      detail.put("reason", "acting on the stored state: the re-check with Alertmanager was unavailable");
      log.atWarn().addKeyValue("remediation", claim.id()).addKeyValue("rule", claim.rule())
          .addKeyValue("error", e.getMessage())
          .log("could not ask Alertmanager whether the alert still fires; acting on the stored state");
      try {
        database.inTransaction(connection -> {
          audit.append(connection, List.of(AuditEvent.forRemediation(clock.instant(),
              AuditEvent.Kind.RECHECK_UNAVAILABLE, actor, claim.alert(), claim.ref(), "unavailable", detail)));
          return null;
        });
      } catch (RuntimeException auditFailure) {
        log.atWarn().addKeyValue("remediation", claim.id()).setCause(auditFailure)
            .log("could not audit that the Alertmanager re-check was unavailable");
      }
      return true;
    }
  }
}
