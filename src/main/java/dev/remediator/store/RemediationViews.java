package dev.remediator.store;

import dev.remediator.json.Canonical;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads remediations for the API, newest first, with the alert each is for. Pages by id: a page
 * asks for ids below the last one it saw, which stays right while new remediations arrive.
 * Every method runs in the caller's transaction.
 */
public final class RemediationViews {
  /** The most rows one page may ask for. */
  public static final int MAX_LIMIT = 500;

  private static final String SELECT = """
      select r.id, r.state, r.rule_name, r.action, r.target, r.params, r.reason, r.decided_at, r.attempts,
             r.started_at, r.finished_at, r.error, r.verification, r.expires_at, r.fingerprint, r.alertname,
             coalesce(a.starts_at, r.starts_at) as starts_at, a.id as alert_row, a.status as alert_status,
             a.labels as alert_labels, a.annotations as alert_annotations, a.ends_at as alert_ends_at,
             a.generator_url as alert_generator_url
      from remediation r left join alert a on a.id = r.alert_id""";

  /** Which remediations a page holds: in {@code state} and of {@code rule} when given, ids below {@code before}. */
  public record Query(Optional<RemediationState> state, Optional<String> rule, Optional<Long> before, int limit) {
    public Query {
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT + ", but was " + limit);
      }
    }
  }

  public List<RemediationView> list(Connection connection, Query query) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    StringBuilder sql = new StringBuilder(SELECT).append(" where 1 = 1");
    query.state().ifPresent(s -> sql.append(" and r.state = ?"));
    query.rule().ifPresent(r -> sql.append(" and r.rule_name = ?"));
    query.before().ifPresent(b -> sql.append(" and r.id < ?"));
    sql.append(" order by r.id desc limit ?");
    try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
      int index = 1;
      if (query.state().isPresent()) {
        select.setString(index++, query.state().get().wireName());
      }
      if (query.rule().isPresent()) {
        select.setString(index++, query.rule().get());
      }
      if (query.before().isPresent()) {
        select.setLong(index++, query.before().get());
      }
      select.setInt(index, query.limit());
      List<RemediationView> page = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          page.add(read(dialect, rows));
        }
      }
      return page;
    }
  }

  public Optional<RemediationView> one(Connection connection, long id) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement select = connection.prepareStatement(SELECT + " where r.id = ?")) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(read(dialect, row)) : Optional.empty();
      }
    }
  }

  private static RemediationView read(Dialect dialect, ResultSet row) throws SQLException {
    row.getLong("alert_row");
    RemediationView.AlertView alert = row.wasNull() ? null : new RemediationView.AlertView(
        row.getString("alert_status"), Canonical.stringMap(row.getString("alert_labels")),
        Canonical.stringMap(row.getString("alert_annotations")), dialect.instant(row, "alert_ends_at"),
        row.getString("alert_generator_url"));
    return new RemediationView(row.getLong("id"), RemediationState.fromWire(row.getString("state")),
        row.getString("rule_name"), row.getString("action"), row.getString("target"),
        Canonical.objectMap(row.getString("params")), row.getString("reason"), dialect.instant(row, "decided_at"),
        row.getInt("attempts"), dialect.instant(row, "started_at"), dialect.instant(row, "finished_at"),
        row.getString("error"), row.getString("verification"), dialect.instant(row, "expires_at"),
        row.getString("fingerprint"), row.getString("alertname"), dialect.instant(row, "starts_at"), alert);
  }
}
