package dev.remediator.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.alert.Alert;
import dev.remediator.alert.Labels;
import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditEvent.Kind;
import dev.remediator.audit.AuditLog;
import dev.remediator.store.Database;
import dev.remediator.store.GroupFetches;
import dev.remediator.upstream.AlertmanagerClient;
import dev.remediator.upstream.AlertmanagerException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nothing dropped: Alertmanager cuts a webhook notification at the receiver's
 * {@code max_alerts} and says how many it left out in {@code truncatedAlerts}. For each stored
 * notification that says so, this background step (never the webhook's request thread) asks
 * Alertmanager for the firing alerts of that group and receiver, stores the ones the store does
 * not hold yet as alerts of that notification, and wakes the decider, which then decides them
 * like any other. Each notification is fetched once, by the first replica to claim it; what was
 * fetched, or why it could not be, is audited. A Grafana notification is not fetched: the
 * configured Alertmanager does not hold Grafana's alerts.
 */
public final class TruncatedGroups {
  static final int BATCH = 10;
  private static final String ALERTMANAGER_PAYLOAD = "4";
  private static final int LISTED_IN_AUDIT = 50;
  private static final Logger log = LoggerFactory.getLogger(TruncatedGroups.class);

  private final Database database;
  private final GroupFetches fetches;
  private final AuditLog audit;
  private final AlertmanagerClient alertmanager;
  private final ObjectMapper json;
  private final Clock clock;
  private final String actor;
  private final Runnable alertsStored;

  public TruncatedGroups(Database database, GroupFetches fetches, AuditLog audit, AlertmanagerClient alertmanager,
                         ObjectMapper json, Clock clock, String actor, Runnable alertsStored) {
    this.database = database;
    this.fetches = fetches;
    this.audit = audit;
    this.alertmanager = alertmanager;
    this.json = json;
    this.clock = clock;
    this.actor = actor;
    this.alertsStored = alertsStored;
  }

  /** Fetches the groups of up to {@link #BATCH} truncated notifications; returns how many it took on. */
  public int fetchDue() {
    List<GroupFetches.Truncated> claimed = database.inTransaction(connection ->
        fetches.claim(connection, BATCH, clock.instant()));
    int stored = 0;
    for (GroupFetches.Truncated truncated : claimed) {
      stored += fetch(truncated);
    }
    if (stored > 0) {
      alertsStored.run();
    }
    return claimed.size();
  }

  private int fetch(GroupFetches.Truncated truncated) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("alertmanager", alertmanager.url());
    detail.put("receiver", truncated.receiver());
    List<Alert> listed;
    try {
      JsonNode payload = json.readTree(truncated.payload());
      if (!ALERTMANAGER_PAYLOAD.equals(payload.path("version").asText())) {
        throw new IOException("the notification did not come from an Alertmanager (payload version "
            + payload.path("version").asText() + "), so the configured one does not hold its alerts");
      }
      Labels groupLabels = groupLabels(payload);
      detail.put("groupLabels", groupLabels.asMap());
      listed = alertmanager.group(groupLabels, truncated.receiver());
    } catch (AlertmanagerException | IOException e) {
      detail.put("error", e.getMessage());
      log.atWarn().addKeyValue("notification", truncated.id()).addKeyValue("error", e.getMessage())
          .log("could not fetch the alerts notification {} left out: {}", truncated.id(), e.getMessage());
      appendQuietly(AuditEvent.forNotification(clock.instant(), Kind.GROUP_FETCH_FAILED, actor, truncated.id(),
          "failed", detail));
      return 0;
    }
    Instant now = clock.instant();
    List<Alert> stored = database.inTransaction(connection -> {
      List<Alert> missing = fetches.storeMissing(connection, truncated.id(), listed, now);
      detail.put("fetched", listed.size());
      detail.put("stored", missing.size());
      detail.put("storedFingerprints", missing.stream().limit(LISTED_IN_AUDIT).map(Alert::fingerprint).toList());
      audit.append(connection, List.of(AuditEvent.forNotification(now, Kind.GROUP_FETCHED, actor, truncated.id(),
          "fetched", detail)));
      return missing;
    });
    log.atInfo().addKeyValue("notification", truncated.id()).addKeyValue("fetched", listed.size())
        .addKeyValue("stored", stored.size())
        .log("notification {} was truncated; fetched {} alerts of its group, {} of them new", truncated.id(),
            listed.size(), stored.size());
    return stored.size();
  }

  private static Labels groupLabels(JsonNode payload) {
    JsonNode labels = payload.path("groupLabels");
    Map<String, String> pairs = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = labels.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      pairs.put(field.getKey(), field.getValue().asText());
    }
    return Labels.of(pairs);
  }

  private void appendQuietly(AuditEvent event) {
    try {
      database.inTransaction(connection -> {
        audit.append(connection, List.of(event));
        return null;
      });
    } catch (RuntimeException e) {
      log.atWarn().setCause(e).log("could not audit a failed group fetch");
    }
  }
}
