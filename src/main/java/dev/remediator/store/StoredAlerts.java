package dev.remediator.store;

import dev.remediator.alert.Alert;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads stored alert occurrences back: the row of one occurrence (a replay decides the row the
 * store holds), and the alerts received in a window, a page at a time in the order they were
 * stored (a simulation walks history without holding it all). Runs in the caller's transaction.
 */
public final class StoredAlerts {
  private static final String OCCURRENCE = "select " + AlertRows.COLUMNS
      + " from alert a where a.fingerprint = ? and a.starts_at = ? and a.status = ?";
  private static final String RECEIVED = "select " + AlertRows.COLUMNS + ", a.received_at from alert a"
      + " where a.id > ? and a.received_at >= ? and a.received_at < ? order by a.id limit ?";

  /** An alert occurrence and when the store received it. */
  public record Received(StoredAlert alert, Instant receivedAt) {}

  /** The stored row of {@code alert}'s occurrence (fingerprint, startsAt, status), if the store holds it. */
  public Optional<StoredAlert> occurrence(Connection connection, Alert alert) throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement select = connection.prepareStatement(OCCURRENCE)) {
      select.setString(1, alert.fingerprint());
      dialect.setInstant(select, 2, alert.startsAt());
      select.setString(3, alert.status().wireName());
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(AlertRows.read(dialect, row)) : Optional.empty();
      }
    }
  }

  /**
   * Up to {@code limit} alerts received in [{@code since}, {@code until}) with ids after
   * {@code afterId}, oldest first; pass the last id of one page to read the next.
   */
  public List<Received> receivedBetween(Connection connection, Instant since, Instant until, long afterId, int limit)
      throws SQLException {
    Dialect dialect = Dialect.of(connection);
    List<Received> page = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(RECEIVED)) {
      select.setLong(1, afterId);
      dialect.setInstant(select, 2, since);
      dialect.setInstant(select, 3, until);
      select.setInt(4, limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          page.add(new Received(AlertRows.read(dialect, rows), dialect.instant(rows, "received_at")));
        }
      }
    }
    return page;
  }
}
