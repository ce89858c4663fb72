package dev.remediator.store;

import dev.remediator.alert.Alert;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Notifications in which Alertmanager left alerts out ({@code truncatedAlerts > 0}), and the
 * alerts fetched for them from Alertmanager's API. A notification is claimed once, by whichever
 * replica marks it first; the fetched alerts are stored as occurrences of that notification, so
 * the decider sees them like any other.
 *
 * <p>Alertmanager's API gives times to the millisecond while its webhook gives them to the
 * nanosecond, so an alert already stored from a webhook within the same millisecond is the same
 * occurrence and is not stored again.
 */
public final class GroupFetches {
  private static final String UNFETCHED = "select id, receiver, payload from notification"
      + " where truncated_alerts > 0 and group_fetched_at is null order by id limit ?";
  private static final String CLAIM = "update notification set group_fetched_at = ? where id = ? and group_fetched_at is null";
  private static final String TWIN = "select count(*) from alert where fingerprint = ? and status = ?"
      + " and starts_at >= ? and starts_at < ?";

  /** A truncated notification: its id, the receiver it went to, and its payload as received. */
  public record Truncated(long id, String receiver, String payload) {}

  /** Claims up to {@code limit} truncated notifications not yet fetched, marking them fetched at {@code now}. */
  public List<Truncated> claim(Connection connection, int limit, Instant now) throws SQLException {
    List<Truncated> found = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(UNFETCHED)) {
      select.setInt(1, limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          found.add(new Truncated(rows.getLong("id"), rows.getString("receiver"), rows.getString("payload")));
        }
      }
    }
    List<Truncated> claimed = new ArrayList<>(found.size());
    try (PreparedStatement update = connection.prepareStatement(CLAIM)) {
      for (Truncated truncated : found) {
        Dialect.of(connection).setInstant(update, 1, now);
        update.setLong(2, truncated.id());
        if (update.executeUpdate() == 1) {
          claimed.add(truncated);
        }
      }
    }
    return claimed;
  }

  /** Stores those of {@code alerts} the store does not hold yet, under {@code notificationId}; returns them. */
  public List<Alert> storeMissing(Connection connection, long notificationId, List<Alert> alerts, Instant receivedAt)
      throws SQLException {
    Dialect dialect = Dialect.of(connection);
    List<Alert> stored = new ArrayList<>();
    try (PreparedStatement twin = connection.prepareStatement(TWIN);
         PreparedStatement insert = connection.prepareStatement(NotificationStore.INSERT_ALERT)) {
      for (Alert alert : alerts) {
        Instant millisecond = alert.startsAt().truncatedTo(ChronoUnit.MILLIS);
        twin.setString(1, alert.fingerprint());
        twin.setString(2, alert.status().wireName());
        dialect.setInstant(twin, 3, millisecond);
        dialect.setInstant(twin, 4, millisecond.plusMillis(1));
        try (ResultSet count = twin.executeQuery()) {
          count.next();
          if (count.getLong(1) > 0) {
            continue;
          }
        }
        NotificationStore.bindAlert(insert, dialect, notificationId, alert, receivedAt, null);
        if (insert.executeUpdate() == 1) {
          stored.add(alert);
        }
      }
    }
    return stored;
  }
}
