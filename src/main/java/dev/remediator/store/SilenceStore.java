package dev.remediator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The Alertmanager silence each remediation holds while it runs: set when it is created, read
 * back to expire it, and marked released once, so a second release finds nothing to do.
 */
public final class SilenceStore {
  private static final String HOLD = "update remediation set silence_id = ?, silence_released_at = null where id = ?";
  private static final String HELD = "select r.silence_id, r.rule_name, r.action, r.target, r.alert_id, "
      + AlertRows.COLUMNS + " from remediation r left join alert a on a.id = r.alert_id"
      + " where r.id = ? and r.silence_id is not null and r.silence_released_at is null";
  private static final String RELEASE = "update remediation set silence_released_at = ? where id = ?"
      + " and silence_id = ? and silence_released_at is null";

  public void hold(Connection connection, long remediationId, String silenceId) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(HOLD)) {
      update.setString(1, silenceId);
      update.setLong(2, remediationId);
      update.executeUpdate();
    }
  }

  /**
   * A silence a remediation holds: its id in Alertmanager, the remediation, and the alert it is
   * for (null once retention has deleted the alert).
   */
  public record Held(String silenceId, RemediationRef remediation, StoredAlert alert) {}

  /** The silence the remediation holds and has not released, if any. */
  public Optional<Held> held(Connection connection, long remediationId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(HELD)) {
      select.setLong(1, remediationId);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        row.getLong("alert_id");
        StoredAlert alert = row.wasNull() ? null : AlertRows.read(Dialect.of(connection), row);
        return Optional.of(new Held(row.getString("silence_id"), new RemediationRef(remediationId,
            row.getString("rule_name"), row.getString("action"), row.getString("target")), alert));
      }
    }
  }

  /** Marks the silence released; false when it was released already (by another replica, say). */
  public boolean release(Connection connection, long remediationId, String silenceId, Instant at) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(RELEASE)) {
      Dialect.of(connection).setInstant(update, 1, at);
      update.setLong(2, remediationId);
      update.setString(3, silenceId);
      return update.executeUpdate() == 1;
    }
  }
}
