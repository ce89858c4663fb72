package dev.remediator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link Ledger} over the remediation table, read in the caller's transaction. Live decisions
 * to act have {@code counts}; dry-run decisions that live would have acted on have
 * {@code counts_dry_run}. The live budget counts only the first. The dry-run budget counts both,
 * since live would have counted its own earlier actions too (a rule turned back to dry run still
 * sits out the cooldown of its last real action). Each column has its own indexes, so a count
 * stays small however many rows an alert storm has skipped.
 */
public final class RemediationLedger implements Ledger {
  private static final String LIVE = "counts";
  private static final String DRY_RUN = "counts_dry_run";

  private final Connection connection;
  private final Budget budget;

  public RemediationLedger(Connection connection, Budget budget) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.budget = Objects.requireNonNull(budget, "budget");
  }

  private static String lastActed(String column) {
    return "select max(decided_at) as last_acted from remediation where rule_name = ? and group_key = ? and " + column;
  }

  // Ordered like the indexes, so the planner walks the index newest first and stops at the cap;
  // a bare LIMIT tempts it into a sequential scan of every uncounted row.
  private static String countForRule(String column) {
    return "select count(*) from (select 1 from remediation where rule_name = ? and " + column
        + " and decided_at > ? order by decided_at desc limit ?) counted";
  }

  private static String countAll(String column) {
    return "select count(*) from (select 1 from remediation where " + column
        + " and decided_at > ? order by decided_at desc limit ?) counted";
  }

  private static String countForService(Dialect dialect, String column) {
    return "select count(*) from (select 1 from remediation r join alert a on a.id = r.alert_id where r.rule_name = ? and r."
        + column + " and r.decided_at > ? and " + dialect.labelValue("a.labels", SERVICE)
        + " = ? order by r.decided_at desc limit ?) counted";
  }

  private static String instances(Dialect dialect) {
    return "select count(distinct coalesce(nullif(" + dialect.labelValue("a.labels", "instance") + ", ''), nullif("
        + dialect.labelValue("a.labels", "pod") + ", ''))) from alert a where "
        + dialect.labelValue("a.labels", SERVICE) + " = ? and a.received_at > ?";
  }

  @Override
  public Budget budget() {
    return budget;
  }

  @Override
  public Optional<Instant> lastActed(String rule, String group) {
    Optional<Instant> live = lastActed(LIVE, rule, group);
    if (budget == Budget.LIVE) {
      return live;
    }
    Optional<Instant> dryRun = lastActed(DRY_RUN, rule, group);
    return live.isEmpty() || dryRun.isPresent() && dryRun.get().isAfter(live.get()) ? dryRun : live;
  }

  @Override
  public long countSince(String rule, Instant since, int cap) {
    Objects.requireNonNull(rule, "rule");
    return count(rule, since, cap);
  }

  @Override
  public long countAllSince(Instant since, int cap) {
    return count(null, since, cap);
  }

  @Override
  public long countForServiceSince(String rule, String service, Instant since, int cap) {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(service, "service");
    long live = countForService(LIVE, rule, service, since, cap);
    if (budget == Budget.LIVE || live >= cap) {
      return live;
    }
    return live + countForService(DRY_RUN, rule, service, since, (int) (cap - live));
  }

  @Override
  public long instancesSince(String service, Instant since) {
    try {
      Dialect dialect = Dialect.of(connection);
      try (PreparedStatement select = connection.prepareStatement(instances(dialect))) {
        select.setString(1, service);
        dialect.setInstant(select, 2, since);
        try (ResultSet row = select.executeQuery()) {
          row.next();
          return row.getLong(1);
        }
      }
    } catch (SQLException e) {
      throw failure("cannot count the instances of service " + service, e);
    }
  }

  private long countForService(String column, String rule, String service, Instant since, int cap) {
    try {
      Dialect dialect = Dialect.of(connection);
      try (PreparedStatement select = connection.prepareStatement(countForService(dialect, column))) {
        select.setString(1, rule);
        dialect.setInstant(select, 2, since);
        select.setString(3, service);
        select.setInt(4, cap);
        try (ResultSet row = select.executeQuery()) {
          row.next();
          return row.getLong(1);
        }
      }
    } catch (SQLException e) {
      throw failure("cannot count the actions of rule " + rule + " on service " + service, e);
    }
  }

  private long count(String rule, Instant since, int cap) {
    long live = count(rule == null ? countAll(LIVE) : countForRule(LIVE), rule, since, cap);
    if (budget == Budget.LIVE || live >= cap) {
      return live;
    }
    return live + count(rule == null ? countAll(DRY_RUN) : countForRule(DRY_RUN), rule, since, (int) (cap - live));
  }

  private Optional<Instant> lastActed(String column, String rule, String group) {
    try (PreparedStatement select = connection.prepareStatement(lastActed(column))) {
      select.setString(1, rule);
      select.setString(2, group);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return Optional.ofNullable(Dialect.of(connection).instant(row, "last_acted"));
      }
    } catch (SQLException e) {
      throw failure("cannot read the last action of rule " + rule, e);
    }
  }

  private long count(String sql, String rule, Instant since, int cap) {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      int index = 1;
      if (rule != null) {
        select.setString(index++, rule);
      }
      Dialect.of(connection).setInstant(select, index++, since);
      select.setInt(index, cap);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    } catch (SQLException e) {
      throw failure("cannot count actions" + (rule == null ? "" : " of rule " + rule), e);
    }
  }

  private static RuntimeException failure(String what, SQLException e) {
    String message = what + ": " + e.getMessage();
    return Database.isConnectionFailure(e) ? new StoreUnavailableException(message, e) : new StoreException(message, e);
  }
}
