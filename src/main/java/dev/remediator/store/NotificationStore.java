package dev.remediator.store;

import dev.remediator.alert.Alert;
import dev.remediator.alert.Notification;
import dev.remediator.json.Canonical;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Stores whole batches of notifications in the caller's transaction: one statement batch for the
 * notifications and one for their alerts (a repeated occurrence is a duplicate, not an error).
 * Two round trips however many notifications; the caller audits what each alert turned out to be.
 * (The embedded store runs in process and has no round trips: its driver returns no keys for a
 * batch, so it inserts notifications one at a time and reads each id back.)
 */
public final class NotificationStore {
  private static final String INSERT_NOTIFICATION = """
      insert into notification (received_at, actor, receiver, group_key, status, truncated_alerts,
                                external_url, notification_reason, alert_count, payload)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String INSERT_NOTIFICATION_RETURNING_ID = INSERT_NOTIFICATION + " returning id";
  private static final String INSERT_ALERT = """
      insert into alert (notification_id, fingerprint, status, starts_at, ends_at, alertname, labels,
                         annotations, generator_url, received_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      on conflict do nothing""";

  public List<StoredNotification> store(Connection connection, List<IncomingNotification> batch) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    long[] ids = dialect == Dialect.SQLITE
        ? insertNotificationsOneByOne(connection, dialect, batch)
        : insertNotifications(connection, dialect, batch);
    int[] inserted = insertAlerts(connection, dialect, batch, ids);
    List<StoredNotification> stored = new ArrayList<>(batch.size());
    int row = 0;
    for (int i = 0; i < batch.size(); i++) {
      int alerts = batch.get(i).notification().alerts().size();
      List<Boolean> isNew = new ArrayList<>(alerts);
      for (int a = 0; a < alerts; a++) {
        isNew.add(inserted[row++] > 0);
      }
      stored.add(new StoredNotification(ids[i], isNew));
    }
    return stored;
  }

  private static long[] insertNotifications(Connection connection, Dialect dialect, List<IncomingNotification> batch)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT_NOTIFICATION, new String[] {"id"})) {
      for (IncomingNotification incoming : batch) {
        bindNotification(insert, dialect, incoming);
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

  private static long[] insertNotificationsOneByOne(Connection connection, Dialect dialect,
                                                   List<IncomingNotification> batch) throws SQLException {
    long[] ids = new long[batch.size()];
    try (PreparedStatement insert = connection.prepareStatement(INSERT_NOTIFICATION_RETURNING_ID)) {
      for (int i = 0; i < ids.length; i++) {
        bindNotification(insert, dialect, batch.get(i));
        try (ResultSet key = insert.executeQuery()) {
          if (!key.next()) {
            throw new SQLException("the store inserted a notification but returned no id");
          }
          ids[i] = key.getLong(1);
        }
      }
    }
    return ids;
  }

  private static void bindNotification(PreparedStatement insert, Dialect dialect, IncomingNotification incoming)
      throws SQLException {
    Notification n = incoming.notification();
    dialect.setInstant(insert, 1, incoming.receivedAt());
    insert.setString(2, incoming.actor());
    insert.setString(3, n.receiver());
    insert.setString(4, n.groupKey());
    insert.setString(5, n.status().wireName());
    insert.setInt(6, n.truncatedAlerts());
    insert.setString(7, n.externalURL());
    insert.setString(8, n.notificationReason().orElse(null));
    insert.setInt(9, n.alerts().size());
    insert.setString(10, incoming.payload());
  }

  /**
   * Inserts every alert of the batch in one order, sorted by the occurrence key (fingerprint,
   * starts_at, status): two transactions inserting overlapping occurrences then wait on each
   * other in the same order and cannot deadlock. The counts come back in payload order.
   */
  private static int[] insertAlerts(Connection connection, Dialect dialect, List<IncomingNotification> batch, long[] ids)
      throws SQLException {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      IncomingNotification incoming = batch.get(i);
      for (Alert alert : incoming.notification().alerts()) {
        rows.add(new Row(rows.size(), ids[i], incoming, alert));
      }
    }
    if (rows.isEmpty()) {
      return new int[0];
    }
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(OCCURRENCE_ORDER);
    try (PreparedStatement insert = connection.prepareStatement(INSERT_ALERT)) {
      for (Row row : sorted) {
        Alert alert = row.alert();
        insert.setLong(1, row.notificationId());
        insert.setString(2, alert.fingerprint());
        insert.setString(3, alert.status().wireName());
        dialect.setInstant(insert, 4, alert.startsAt());
        dialect.setInstant(insert, 5, alert.endsAt().orElse(null));
        insert.setString(6, alert.alertname());
        insert.setString(7, Canonical.json(alert.labels().asMap()));
        insert.setString(8, Canonical.json(alert.annotations().asMap()));
        insert.setString(9, alert.generatorURL());
        dialect.setInstant(insert, 10, row.incoming().receivedAt());
        insert.addBatch();
      }
      int[] counts = insert.executeBatch();
      int[] inPayloadOrder = new int[counts.length];
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == Statement.SUCCESS_NO_INFO) {
          throw new SQLException("the store did not report which alerts were new");
        }
        inPayloadOrder[sorted.get(i).index()] = counts[i];
      }
      return inPayloadOrder;
    }
  }

  /**
   * A query that needs the same table lock as storing a notification and gives up after
   * {@code timeoutSeconds}: it succeeds only when a commit could proceed now.
   */
  public void probe(Connection connection, int timeoutSeconds) throws SQLException {
    try (PreparedStatement probe = connection.prepareStatement("select id from notification where id = -1")) {
      probe.setQueryTimeout(timeoutSeconds);
      probe.executeQuery().close();
    }
  }

  private static final Comparator<Row> OCCURRENCE_ORDER = Comparator
      .comparing((Row row) -> row.alert().fingerprint())
      .thenComparing(row -> row.alert().startsAt())
      .thenComparing(row -> row.alert().status().wireName());

  private record Row(int index, long notificationId, IncomingNotification incoming, Alert alert) {}
}
