package dev.remediator.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remediator.audit.ChainReport.Status;
import dev.remediator.store.Database;
import dev.remediator.testing.FreshStore;
import dev.remediator.testing.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit chain on the real PostgreSQL at 127.0.0.1:5432, a fresh database per test; tampering
 * disables the triggers ({@code ALTER TABLE ... DISABLE TRIGGER ALL}) as the table owner could.
 * Two stores on one database stand for two replicas.
 */
class PostgresAuditChainTest extends AuditChainContract {
  @RegisterExtension
  final FreshStore postgres = FreshStore.onPostgres();

  @Override
  Database database() {
    return postgres.database();
  }

  @Override
  void tamper(String... statements) {
    try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
      List<String> tables = List.of("audit_event", "audit_seal");
      for (String table : tables) {
        statement.execute("alter table " + table + " disable trigger all");
      }
      for (String sql : statements) {
        statement.execute(sql);
      }
      for (String table : tables) {
        statement.execute("alter table " + table + " enable trigger all");
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  void forgeLink(long seq, long eventId, String prevHash, String hash) {
    tamper("insert into audit_seal (seq, event_id, prev_hash, hash, scan_from) values (" + seq + ", " + eventId
        + ", '" + prevHash + "', '" + hash + "', '0')");
  }

  private static long appendOne(Connection connection, String outcome) throws SQLException {
    new AuditLog().append(connection, List.of(AuditEvent.system(NOW, AuditEvent.Kind.RULES_RELOADED, "replica",
        outcome, Map.of())));
    try (PreparedStatement select = connection.prepareStatement("select max(id) from audit_event");
         var row = select.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  @Test
  void anEventThatCommitsAfterAHigherIdWasSealedIsSealedLaterNotSkipped() throws Exception {
    try (Database other = postgres.openReplica();
         Connection early = database().dataSource().getConnection();
         Connection late = other.dataSource().getConnection()) {
      long lowerId = appendOne(late, "lower id, commits last");
      long higherId = appendOne(early, "higher id, commits first");
      early.commit();
      AuditSealer sealer = sealer(KEY);

      assertThat(sealAll(sealer)).isEqualTo(1);
      assertThat(verify().unsealed()).as("the open transaction's event is not visible yet").isZero();
      late.commit();
      assertThat(sealAll(sealer)).isEqualTo(1);

      assertThat(lowerId).isLessThan(higherId);
      assertThat(Rows.of(database(), "select seq, event_id from audit_seal order by seq"))
          .containsExactly("1 | " + higherId, "2 | " + lowerId);
      ChainReport report = verify();
      assertThat(report.status()).isEqualTo(Status.OK);
      assertThat(report.links()).isEqualTo(2);
      assertThat(report.unsealed()).isZero();
    }
  }

  @Test
  void aTransactionStillRunningHoldsNothingBackAndIsSealedWhenItCommits() throws Exception {
    append(2, NOW);
    try (Connection running = database().dataSource().getConnection()) {
      appendOne(running, "still running");
      append(1, NOW);

      assertThat(sealAll(sealer(KEY))).isEqualTo(3);
      append(1, NOW);
      assertThat(sealAll(sealer(KEY))).as("sealing on past the running transaction").isEqualTo(1);
      running.commit();
    }
    assertThat(sealAll(sealer(KEY))).isEqualTo(1);
    assertThat(verify().links()).isEqualTo(5);
    assertThat(verify().unsealed()).isZero();
  }

  @Test
  void aStragglerIsFoundAfterABacklogSealedInFullBatches() throws Exception {
    try (Connection straggler = database().dataSource().getConnection()) {
      long lowId = appendOne(straggler, "commits after the backlog is sealed");
      append(AuditSealer.BATCH, NOW);
      append(AuditSealer.BATCH + 500, NOW);
      AuditSealer sealer = sealer(KEY);

      assertThat(sealer.sealBatch()).isEqualTo(AuditSealer.BATCH);
      assertThat(sealAll(sealer)).isEqualTo(AuditSealer.BATCH + 500);
      straggler.commit();
      assertThat(sealAll(sealer)).isEqualTo(1);

      assertThat(Rows.of(database(), "select event_id from audit_seal where seq = " + (2 * AuditSealer.BATCH + 501)))
          .containsExactly(String.valueOf(lowId));
      assertThat(verify().links()).isEqualTo(2 * AuditSealer.BATCH + 501);
      assertThat(verify().unsealed()).isZero();
    }
  }

  @Test
  void twoReplicasWritingAndSealingBuildOneChain() throws Exception {
    try (Database other = postgres.openReplica()) {
      AuditSealer first = new AuditSealer(database(), KEY, clock);
      AuditSealer second = new AuditSealer(other, KEY, clock);
      for (int round = 0; round < 4; round++) {
        Database writer = round % 2 == 0 ? database() : other;
        writer.inTransaction(c -> appendOne(c, "from a replica"));
        other.inTransaction(c -> appendOne(c, "from the other replica"));
        assertThat(sealAll(round % 2 == 0 ? second : first)).isEqualTo(2);
      }
      assertThat(first.sealBatch() + second.sealBatch()).isZero();

      ChainReport report = new AuditVerifier(KEY).verify(other, Optional.of(first.head().orElseThrow()));
      assertThat(report.status()).isEqualTo(Status.OK);
      assertThat(report.links()).isEqualTo(8);
      assertThat(first.head()).isEqualTo(second.head());
    }
  }

  @Test
  void aReplicaHoldingTheChainLockKeepsTheOthersFromSealing() throws Exception {
    append(3, NOW);
    try (Connection holder = database().dataSource().getConnection()) {
      try (Statement lock = holder.createStatement()) {
        lock.executeQuery("select name from maintenance_lock where name = 'audit_chain' for update").close();
      }
      assertThat(sealer(KEY).sealBatch()).isZero();
      holder.rollback();
    }
    assertThat(sealer(KEY).sealBatch()).isEqualTo(3);
  }

  @Test
  void truncatingTheAuditTablesIsRejected() {
    append(1, NOW);
    sealAll(sealer(KEY));

    for (String table : List.of("audit_event", "audit_seal", "audit_anchor", "audit_chain")) {
      assertThatThrownBy(() -> database().inTransaction(c -> c.createStatement().execute("truncate " + table + " cascade")))
          .as(table).hasMessageContaining(table + " is append-only: TRUNCATE is not allowed");
    }
  }
}
