package dev.remediator.audit;

import dev.remediator.json.Canonical;
import dev.remediator.store.Dialect;
import dev.remediator.store.PgArrays;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collections;
import java.util.List;

/**
 * Appends audit events inside the caller's transaction, so an event is stored exactly when the
 * step it records is. On PostgreSQL all of them go in as one statement of array parameters; the
 * embedded store takes multi-row inserts of {@link #ROWS_PER_STATEMENT}. Either way the server
 * runs one statement where a row-per-statement batch would cost it one per event.
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

  private static final String INSERT_UNNEST = """
      insert into audit_event (occurred_at, kind, actor, notification_id, alert_id, remediation_id, fingerprint,
                               alertname, rule_name, action, target, outcome, detail)
      select occurred_at, kind, actor, notification_id, alert_id, remediation_id, fingerprint,
             alertname, rule_name, action, target, outcome, detail
      from unnest(?::timestamptz[], ?::text[], ?::text[], ?::int8[], ?::int8[], ?::int8[], ?::text[],
                  ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
           with ordinality as e(occurred_at, kind, actor, notification_id, alert_id, remediation_id, fingerprint,
                                alertname, rule_name, action, target, outcome, detail, position)
      order by position""";

  public void append(Connection connection, List<AuditEvent> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    Dialect dialect = Dialect.of(connection);
    if (dialect == Dialect.POSTGRES) {
      appendAsArrays(connection, events);
      return;
    }
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

  /** Events in their given order, so their ids follow it. */
  private static void appendAsArrays(Connection connection, List<AuditEvent> events) throws SQLException {
    int size = events.size();
    String[][] text = new String[10][size];
    Long[][] ids = new Long[3][size];
    for (int i = 0; i < size; i++) {
      AuditEvent event = events.get(i);
      text[0][i] = PgArrays.instant(event.at());
      text[1][i] = event.kind().wireName();
      text[2][i] = event.actor();
      ids[0][i] = event.notificationId();
      ids[1][i] = event.alertId();
      ids[2][i] = event.remediationId();
      text[3][i] = event.fingerprint();
      text[4][i] = event.alertname();
      text[5][i] = event.rule();
      text[6][i] = event.action();
      text[7][i] = event.target();
      text[8][i] = event.outcome();
      text[9][i] = Canonical.json(event.detail());
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_UNNEST)) {
      PgArrays.text(connection, insert, 1, text[0]);
      PgArrays.text(connection, insert, 2, text[1]);
      PgArrays.text(connection, insert, 3, text[2]);
      for (int column = 0; column < 3; column++) {
        PgArrays.int8(connection, insert, 4 + column, ids[column]);
      }
      for (int column = 3; column < 10; column++) {
        PgArrays.text(connection, insert, 4 + column, text[column]);
      }
      insert.executeUpdate();
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
