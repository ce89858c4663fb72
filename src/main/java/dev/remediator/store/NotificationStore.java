package dev.remediator.store;

import dev.remediator.alert.Alert;
import dev.remediator.alert.Notification;
import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditLog;
import dev.remediator.audit.Canonical;
import dev.remediator.intake.IncomingNotification;
import dev.remediator.intake.StoredNotification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stores whole batches of notifications in the caller's transaction: one statement batch for the
 * notifications, one for their alerts (a repeated occurrence is a duplicate, not an error) and
 * one for the received/duplicate audit events. Three round trips however many notifications.
 */
public final class NotificationStore {
  private static final String INSERT_NOTIFICATION = """
      insert into notification (received_at, actor, receiver, group_key, status, truncated_alerts,
                                external_url, notification_reason, alert_count, payload)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String INSERT_ALERT = """
      insert into alert (notification_id, fingerprint, status, starts_at, ends_at, alertname, labels,
                         annotations, generator_url, received_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      on conflict do nothing""";

  private final AuditLog audit;

  public NotificationStore(AuditLog audit) {
    this.audit = audit;
  }

  public List<StoredNotification> store(Connection connection, List<IncomingNotification> batch) throws SQLException {
    long[] ids = insertNotifications(connection, batch);
    int[] inserted = insertAlerts(connection, batch, ids);
    List<StoredNotification> stored = new ArrayList<>(batch.size());
    List<AuditEvent> events = new ArrayList<>();
    int row = 0;
    for (int i = 0; i < batch.size(); i++) {
      IncomingNotification incoming = batch.get(i);
      int fresh = 0;
      for (Alert alert : incoming.notification().alerts()) {
        boolean isNew = inserted[row++] > 0;
        fresh += isNew ? 1 : 0;
        events.add(receivedEvent(incoming, ids[i], alert, isNew));
      }
      stored.add(new StoredNotification(ids[i], fresh, incoming.notification().alerts().size() - fresh));
    }
    audit.append(connection, events);
    return stored;
  }

  private static long[] insertNotifications(Connection connection, List<IncomingNotification> batch) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT_NOTIFICATION, new String[] {"id"})) {
      for (IncomingNotification incoming : batch) {
        Notification n = incoming.notification();
        insert.setObject(1, utc(incoming.receivedAt()));
        insert.setString(2, incoming.actor());
        insert.setString(3, n.receiver());
        insert.setString(4, n.groupKey());
        insert.setString(5, n.status().wireName());
        insert.setInt(6, n.truncatedAlerts());
        insert.setString(7, n.externalURL());
        insert.setString(8, n.notificationReason().orElse(null));
        insert.setInt(9, n.alerts().size());
        insert.setString(10, incoming.payload());
        insert.addBatch();
      }
      insert.executeBatch();
      long[] ids = new long[batch.size()];
      try (ResultSet keys = insert.getGeneratedKeys()) {
        for (int i = 0; i < ids.length; i++) {
          if (!keys.next()) {
            throw new SQLException("the store returned " + i + " notification ids for " + ids.length + " rows");
          }
          ids[i] = keys.getLong(1);
        }
      }
      return ids;
    }
  }

  private static int[] insertAlerts(Connection connection, List<IncomingNotification> batch, long[] ids) throws SQLException {
    int rows = 0;
    try (PreparedStatement insert = connection.prepareStatement(INSERT_ALERT)) {
      for (int i = 0; i < batch.size(); i++) {
        IncomingNotification incoming = batch.get(i);
        for (Alert alert : incoming.notification().alerts()) {
          insert.setLong(1, ids[i]);
          insert.setString(2, alert.fingerprint());
          insert.setString(3, alert.status().wireName());
          insert.setObject(4, utc(alert.startsAt()));
          insert.setObject(5, alert.endsAt().map(NotificationStore::utc).orElse(null));
          insert.setString(6, alert.alertname());
          insert.setString(7, Canonical.json(alert.labels().asMap()));
          insert.setString(8, Canonical.json(alert.annotations().asMap()));
          insert.setString(9, alert.generatorURL());
          insert.setObject(10, utc(incoming.receivedAt()));
          insert.addBatch();
          rows++;
        }
      }
      if (rows == 0) {
        return new int[0];
      }
      int[] counts = insert.executeBatch();
      for (int count : counts) {
        if (count == Statement.SUCCESS_NO_INFO) {
          throw new SQLException("the store did not report which alerts were new");
        }
      }
      return counts;
    }
  }

  private static AuditEvent receivedEvent(IncomingNotification incoming, long notificationId, Alert alert, boolean isNew) {
    return new AuditEvent(incoming.receivedAt(), isNew ? AuditEvent.Kind.RECEIVED : AuditEvent.Kind.DUPLICATE,
        incoming.actor(), notificationId, null, null, alert.fingerprint(), alert.alertname(), null, null, null,
        alert.status().wireName(),
        Map.of("startsAt", alert.startsAt().toString(), "receiver", incoming.notification().receiver()));
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
