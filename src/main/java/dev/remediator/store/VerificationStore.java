package dev.remediator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

/**
 * What verifying a remediation reads and writes: whether the alert's resolved notification was
 * stored by a deadline, and how the verification ended ({@code remediation.verification}), set
 * once only, so two replicas finishing the same check cannot both audit and escalate it. Every
 * method runs in the caller's transaction.
 */
public final class VerificationStore {
  private static final String RESOLVED_BY = """
      select count(*) from alert
      where fingerprint = ? and starts_at = ? and status = 'resolved' and received_at <= ?""";
  private static final String END = """
      update remediation set verification = ? where id = ? and verification is null""";

  /** How a verification ended; the wire name is what {@code remediation.verification} holds. */
  public enum Outcome {
    VERIFIED, NOT_VERIFIED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** True when a resolved notification for the occurrence (fingerprint, startsAt) was stored at or before {@code by}. */
  public boolean resolvedBy(Connection connection, String fingerprint, Instant startsAt, Instant by)
      throws SQLException {
    Dialect dialect = Dialect.of(connection);
    try (PreparedStatement select = connection.prepareStatement(RESOLVED_BY)) {
      select.setString(1, fingerprint);
      dialect.setInstant(select, 2, startsAt);
      dialect.setInstant(select, 3, by);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1) > 0;
      }
    }
  }

  /** Records how remediation {@code id}'s verification ended; false when it had ended already. */
  public boolean end(Connection connection, long id, Outcome outcome) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(END)) {
      update.setString(1, outcome.wireName());
      update.setLong(2, id);
      return update.executeUpdate() == 1;
    }
  }
}
