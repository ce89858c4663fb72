package dev.remediator.audit;

import dev.remediator.json.Canonical;
import dev.remediator.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything the audit log says about one remediation, oldest first: each guard's verdict, the
 * decision, approvals, every attempt and its outcome, escalations. Read-only, like every reader
 * of the audit log.
 */
public final class RemediationTimeline {
  private static final String EVENTS = """
      select id, occurred_at, kind, actor, outcome, detail from audit_event
      where remediation_id = ? order by id""";

  /** One audit event of the remediation, with its id in the log; {@code kind} is the wire name. */
  public record Entry(long id, Instant at, String kind, String actor, String outcome, Map<String, Object> detail) {}

  public List<Entry> of(Connection connection, long remediationId) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    List<Entry> entries = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(EVENTS)) {
      select.setLong(1, remediationId);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          entries.add(new Entry(rows.getLong("id"), dialect.instant(rows, "occurred_at"), rows.getString("kind"),
              rows.getString("actor"), rows.getString("outcome"), Canonical.objectMap(rows.getString("detail"))));
        }
      }
    }
    return entries;
  }
}
