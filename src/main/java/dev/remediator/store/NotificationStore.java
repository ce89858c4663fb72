package dev.remediator.store;

import dev.remediator.alert.Alert;
import dev.remediator.alert.Notification;
import dev.remediator.json.Canonical;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Stores whole batches of notifications in the caller's transaction (a repeated occurrence is a
 * duplicate, not an error); the caller audits what each alert turned out to be. On PostgreSQL
 * that is two statements however many notifications and alerts: one multi-row insert of the
 * notifications returning their ids, and one of the alerts returning the occurrences that were
 * new. (The embedded store runs in process and has no round trips; it inserts row by row.)
 */
public final class NotificationStore {
  private static final String INSERT_NOTIFICATION = """
      insert into notification (received_at, actor, receiver, group_key, status, truncated_alerts,
                                external_url, notification_reason, alert_count, payload)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String INSERT_NOTIFICATION_RETURNING_ID = INSERT_NOTIFICATION + " returning id";
  /** Stores one alert row, once: the statement {@link #bindAlert} fills. */
  static final String INSERT_ALERT = """
      insert into alert (notification_id, fingerprint, status, starts_at, ends_at, alertname, labels,
                         annotations, generator_url, received_at, held_until)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      on conflict do nothing""";

  private static final String INSERT_NOTIFICATIONS_UNNEST = """
      insert into notification (received_at, actor, receiver, group_key, status, truncated_alerts,
                                external_url, notification_reason, alert_count, payload)
      select received_at, actor, receiver, group_key, status, truncated_alerts,
             external_url, notification_reason, alert_count, payload
      from unnest(?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int4[],
                  ?::text[], ?::text[], ?::int4[], ?::text[])
           with ordinality as n(received_at, actor, receiver, group_key, status, truncated_alerts,
                                external_url, notification_reason, alert_count, payload, position)
      order by position
      returning id""";
  /**
   * Rows go in sorted by the occurrence key, so two transactions inserting overlapping occurrences
   * wait on each other in the same order and cannot deadlock; among copies of one occurrence, the
   * first in the batch goes in and is the new one.
   */
  private static final String INSERT_ALERTS_UNNEST = """
      insert into alert (notification_id, fingerprint, status, starts_at, ends_at, alertname, labels,
                         annotations, generator_url, received_at, held_until)
      select notification_id, fingerprint, status, starts_at, ends_at, alertname, labels,
             annotations, generator_url, received_at, held_until
      from unnest(?::int8[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::text[], ?::text[],
                  ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[])
           with ordinality as a(notification_id, fingerprint, status, starts_at, ends_at, alertname, labels,
                                annotations, generator_url, received_at, held_until, position)
      order by fingerprint, starts_at, status, position
      on conflict do nothing
      returning notification_id, fingerprint, status, starts_at""";

  public List<StoredNotification> store(Connection connection, List<IncomingNotification> batch) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    if (batch.isEmpty()) {
      return List.of();
    }
    long[] ids = dialect == Dialect.SQLITE
        ? insertNotificationsOneByOne(connection, dialect, batch)
        : insertNotifications(connection, batch);
    int[] inserted = dialect == Dialect.SQLITE
        ? insertAlerts(connection, dialect, batch, ids)
        : insertAlerts(connection, batch, ids);
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

  private static long[] insertNotifications(Connection connection, List<IncomingNotification> batch)
      throws SQLException {
    int size = batch.size();
    String[] receivedAt = new String[size];
    String[] actor = new String[size];
    String[] receiver = new String[size];
    String[] groupKey = new String[size];
    String[] status = new String[size];
    Integer[] truncated = new Integer[size];
    String[] externalUrl = new String[size];
    String[] reason = new String[size];
    Integer[] alertCount = new Integer[size];
    String[] payload = new String[size];
    for (int i = 0; i < size; i++) {
      IncomingNotification incoming = batch.get(i);
      Notification n = incoming.notification();
      receivedAt[i] = PgArrays.instant(incoming.receivedAt());
      actor[i] = incoming.actor();
      receiver[i] = n.receiver();
      groupKey[i] = n.groupKey();
      status[i] = n.status().wireName();
      truncated[i] = n.truncatedAlerts();
      externalUrl[i] = n.externalURL();
      reason[i] = n.notificationReason().orElse(null);
      alertCount[i] = n.alerts().size();
      payload[i] = incoming.payload();
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_NOTIFICATIONS_UNNEST)) {
      PgArrays.text(connection, insert, 1, receivedAt);
      PgArrays.text(connection, insert, 2, actor);
      PgArrays.text(connection, insert, 3, receiver);
      PgArrays.text(connection, insert, 4, groupKey);
      PgArrays.text(connection, insert, 5, status);
      PgArrays.int4(connection, insert, 6, truncated);
      PgArrays.text(connection, insert, 7, externalUrl);
      PgArrays.text(connection, insert, 8, reason);
      PgArrays.int4(connection, insert, 9, alertCount);
      PgArrays.text(connection, insert, 10, payload);
      long[] ids = new long[size];
      try (ResultSet keys = insert.executeQuery()) {
        for (int i = 0; i < size; i++) {
          if (!keys.next()) {
            throw new SQLException("the store returned " + i + " notification ids for " + size + " rows");
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
   * Inserts every alert of the batch in one statement and learns which were new from the
   * occurrences it returns; an occurrence twice in one batch is new once, the first time.
   */
  private static int[] insertAlerts(Connection connection, List<IncomingNotification> batch, long[] ids)
      throws SQLException {
    int size = 0;
    for (IncomingNotification incoming : batch) {
      size += incoming.notification().alerts().size();
    }
    if (size == 0) {
      return new int[0];
    }
    Long[] notificationId = new Long[size];
    String[] fingerprint = new String[size];
    String[] status = new String[size];
    String[] startsAt = new String[size];
    String[] endsAt = new String[size];
    String[] alertname = new String[size];
    String[] labels = new String[size];
    String[] annotations = new String[size];
    String[] generatorUrl = new String[size];
    String[] receivedAt = new String[size];
    String[] heldUntil = new String[size];
    int row = 0;
    for (int i = 0; i < batch.size(); i++) {
      IncomingNotification incoming = batch.get(i);
      String received = PgArrays.instant(incoming.receivedAt());
      String held = PgArrays.instant(incoming.heldUntil());
      for (Alert alert : incoming.notification().alerts()) {
        notificationId[row] = ids[i];
        fingerprint[row] = alert.fingerprint();
        status[row] = alert.status().wireName();
        startsAt[row] = PgArrays.instant(alert.startsAt());
        endsAt[row] = PgArrays.instant(alert.endsAt().orElse(null));
        alertname[row] = alert.alertname();
        labels[row] = Canonical.json(alert.labels().asMap());
        annotations[row] = Canonical.json(alert.annotations().asMap());
        generatorUrl[row] = alert.generatorURL();
        receivedAt[row] = received;
        heldUntil[row] = held;
        row++;
      }
    }
    Set<String> inserted = new HashSet<>();
    try (PreparedStatement insert = connection.prepareStatement(INSERT_ALERTS_UNNEST)) {
      PgArrays.int8(connection, insert, 1, notificationId);
      PgArrays.text(connection, insert, 2, fingerprint);
      PgArrays.text(connection, insert, 3, status);
      PgArrays.text(connection, insert, 4, startsAt);
      PgArrays.text(connection, insert, 5, endsAt);
      PgArrays.text(connection, insert, 6, alertname);
      PgArrays.text(connection, insert, 7, labels);
      PgArrays.text(connection, insert, 8, annotations);
      PgArrays.text(connection, insert, 9, generatorUrl);
      PgArrays.text(connection, insert, 10, receivedAt);
      PgArrays.text(connection, insert, 11, heldUntil);
      try (ResultSet rows = insert.executeQuery()) {
        while (rows.next()) {
          Instant starts = rows.getObject(4, OffsetDateTime.class).toInstant();
          inserted.add(occurrence(rows.getLong(1), rows.getString(2), rows.getString(3), PgArrays.instant(starts)));
        }
      }
    }
    int[] counts = new int[size];
    for (int i = 0; i < size; i++) {
      // remove: a second copy of the same occurrence in the same notification was not inserted
      counts[i] = inserted.remove(occurrence(notificationId[i], fingerprint[i], status[i], startsAt[i])) ? 1 : 0;
    }
    return counts;
  }

  /**
   * Fills {@link #INSERT_ALERT} with one alert of notification {@code notificationId};
   * {@code heldUntil} is null unless a replay holds the alert for itself.
   */
  static void bindAlert(PreparedStatement insert, Dialect dialect, long notificationId, Alert alert,
                        Instant receivedAt, Instant heldUntil) throws SQLException {
    insert.setLong(1, notificationId);
    insert.setString(2, alert.fingerprint());
    insert.setString(3, alert.status().wireName());
    dialect.setInstant(insert, 4, alert.startsAt());
    dialect.setInstant(insert, 5, alert.endsAt().orElse(null));
    insert.setString(6, alert.alertname());
    insert.setString(7, Canonical.json(alert.labels().asMap()));
    insert.setString(8, Canonical.json(alert.annotations().asMap()));
    insert.setString(9, alert.generatorURL());
    dialect.setInstant(insert, 10, receivedAt);
    dialect.setInstant(insert, 11, heldUntil);
  }

  private static String occurrence(long notificationId, String fingerprint, String status, String startsAt) {
    return notificationId + "\n" + status + "\n" + startsAt + "\n" + fingerprint;
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
        bindAlert(insert, dialect, row.notificationId(), row.alert(), row.incoming().receivedAt(),
            row.incoming().heldUntil());
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
   * The payload version of a stored notification ({@code "4"} from Alertmanager, {@code "1"}
   * from Grafana); empty when retention has deleted it or its payload names none.
   */
  public Optional<String> version(Connection connection, long notificationId) throws SQLException {
    Optional<String> payload = payload(connection, notificationId);
    if (payload.isEmpty()) {
      return Optional.empty();
    }
    Object version = Canonical.objectMap(payload.get()).get("version");
    return version instanceof String text ? Optional.of(text) : Optional.empty();
  }

  /** The body of a stored notification as it was received; empty when there is none (or retention deleted it). */
  public Optional<String> payload(Connection connection, long notificationId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("select payload from notification where id = ?")) {
      select.setLong(1, notificationId);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
      }
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
