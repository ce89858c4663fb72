package dev.remediator.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Appends audit events inside the caller's transaction, so an event is stored exactly when the
 * step it records is. There is deliberately no update or delete here.
 */
public final class AuditLog {
  private static final String INSERT = """
      insert into audit_event (occurred_at, kind, actor, notification_id, alert_id, remediation_id,
                               fingerprint, alertname, rule_name, action, target, outcome, detail)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

  public void append(Connection connection, List<AuditEvent> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      for (AuditEvent event : events) {
        insert.setObject(1, event.at().atOffset(ZoneOffset.UTC));
        insert.setString(2, event.kind().wireName());
        insert.setString(3, event.actor());
        setLong(insert, 4, event.notificationId());
        setLong(insert, 5, event.alertId());
        setLong(insert, 6, event.remediationId());
        insert.setString(7, event.fingerprint());
        insert.setString(8, event.alertname());
        insert.setString(9, event.rule());
        insert.setString(10, event.action());
        insert.setString(11, event.target());
        insert.setString(12, event.outcome());
        insert.setString(13, Canonical.json(event.detail()));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }
}
