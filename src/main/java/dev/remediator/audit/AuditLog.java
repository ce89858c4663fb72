package dev.remediator.audit;

import dev.remediator.json.Canonical;
import dev.remediator.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collections;
import java.util.List;

/**
 * Appends audit events inside the caller's transaction, so an event is stored exactly when the
 * step it records is. Events go in as multi-row inserts of {@link #ROWS_PER_STATEMENT} (one
 * statement where a row-per-statement batch would cost the server a statement per event).
 * There is deliberately no update or delete here.
 */
public final class AuditLog {
  static final int ROWS_PER_STATEMENT = 64;
  private static final String COLUMNS = "insert into audit_event (occurred_at, kind, actor, notification_id, alert_id, "
      + "remediation_id, fingerprint, alertname, rule_name, action, target, outcome, detail) values ";
  private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final int PARAMS_PER_ROW = 13;
  private static final String INSERT_ONE = COLUMNS + ROW;
  private static final String INSERT_MANY = COLUMNS + String.join(", ", Collections.nCopies(ROWS_PER_STATEMENT, ROW));

  public void append(Connection connection, List<AuditEvent> events) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    int full = events.size() / ROWS_PER_STATEMENT * ROWS_PER_STATEMENT;
    if (full > 0) {
      try (PreparedStatement insert = connection.prepareStatement(INSERT_MANY)) {
        for (int start = 0; start < full; start += ROWS_PER_STATEMENT) {
          for (int row = 0; row < ROWS_PER_STATEMENT; row++) {
            bind(insert, dialect, row * PARAMS_PER_ROW, events.get(start + row));
          }
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }
    if (full < events.size()) {
      try (PreparedStatement insert = connection.prepareStatement(INSERT_ONE)) {
        for (AuditEvent event : events.subList(full, events.size())) {
          bind(insert, dialect, 0, event);
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }
  }

  private static void bind(PreparedStatement insert, Dialect dialect, int offset, AuditEvent event)
      throws SQLException {
    dialect.setInstant(insert, offset + 1, event.at());
    insert.setString(offset + 2, event.kind().wireName());
    insert.setString(offset + 3, event.actor());
    setLong(insert, offset + 4, event.notificationId());
    setLong(insert, offset + 5, event.alertId());
    setLong(insert, offset + 6, event.remediationId());
    insert.setString(offset + 7, event.fingerprint());
    insert.setString(offset + 8, event.alertname());
    insert.setString(offset + 9, event.rule());
    insert.setString(offset + 10, event.action());
    insert.setString(offset + 11, event.target());
    insert.setString(offset + 12, event.outcome());
    insert.setString(offset + 13, Canonical.json(event.detail()));
  }

  private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }
}
