package dev.remediator.store;

import dev.remediator.json.Canonical;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what the store still holds about one alert: its occurrences, newest first, each with the
 * remediations decided for it. Occurrences that retention deleted are gone, and with them the
 * link to their remediations.
 */
public final class AlertHistory {
  private static final String OCCURRENCES = "select id, status, starts_at, ends_at, labels, annotations, received_at"
      + " from alert where fingerprint = ? order by starts_at desc, id desc limit ?";
  private static final String REMEDIATIONS = "select r.id, r.alert_id, r.rule_name, r.action, r.target, r.state,"
      + " r.decided_at, r.finished_at from remediation r"
      + " where r.fingerprint = ? and r.alert_id is not null order by r.id";

  /** At most {@code limit} occurrences of the alert {@code fingerprint}, newest first; empty when none is stored. */
  public List<AlertOccurrence> occurrences(Connection connection, String fingerprint, int limit) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    Map<Long, List<AlertOccurrence.Remediation>> remediations = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement(REMEDIATIONS)) {
      select.setString(1, fingerprint);
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          remediations.computeIfAbsent(row.getLong("alert_id"), id -> new ArrayList<>())
              .add(new AlertOccurrence.Remediation(row.getLong("id"), row.getString("rule_name"),
                  row.getString("action"), row.getString("target"), row.getString("state"),
                  dialect.instant(row, "decided_at"), dialect.instant(row, "finished_at")));
        }
      }
    }
    List<AlertOccurrence> occurrences = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(OCCURRENCES)) {
      select.setString(1, fingerprint);
      select.setInt(2, limit);
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          long id = row.getLong("id");
          occurrences.add(new AlertOccurrence(id, dialect.instant(row, "starts_at"), dialect.instant(row, "ends_at"),
              row.getString("status"), Canonical.stringMap(row.getString("labels")),
              Canonical.stringMap(row.getString("annotations")), dialect.instant(row, "received_at"),
              remediations.getOrDefault(id, List.of())));
        }
      }
    }
    return occurrences;
  }
}
