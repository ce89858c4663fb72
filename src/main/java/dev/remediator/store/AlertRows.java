package dev.remediator.store;

import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.json.Canonical;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Reads an {@link Alert} back from the alert table's columns, by their standard names. */
final class AlertRows {
  static final String COLUMNS =
      "a.id, a.notification_id, a.fingerprint, a.status, a.starts_at, a.ends_at, a.labels, a.annotations, a.generator_url";

  private AlertRows() {}

  static StoredAlert read(Dialect dialect, ResultSet row) throws SQLException {
    String status = row.getString("status");
    Alert alert = new Alert(
        AlertStatus.fromWire(status).orElseThrow(() -> new SQLException("stored alert has unknown status " + status)),
        Labels.of(Canonical.stringMap(row.getString("labels"))),
        Labels.of(Canonical.stringMap(row.getString("annotations"))),
        dialect.instant(row, "starts_at"),
        Optional.ofNullable(dialect.instant(row, "ends_at")),
        row.getString("generator_url"),
        row.getString("fingerprint"));
    return new StoredAlert(row.getLong("id"), row.getLong("notification_id"), alert);
  }
}
