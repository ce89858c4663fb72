package dev.remediator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.remediator.alert.AlertStatus;
import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditLog;
import dev.remediator.testing.FreshStore;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract on the real PostgreSQL at 127.0.0.1:5432, a fresh database per test. */
class PostgresStoreTest extends StoreContract {
  @RegisterExtension
  final FreshStore postgres = FreshStore.onPostgres();

  @Override
  Database database() {
    return postgres.database();
  }

  @Test
  void auditEventsCannotBeUpdatedDeletedOrTruncated() {
    database().inTransaction(c -> {
      new AuditLog().append(c, List.of(AuditEvent.system(T0, AuditEvent.Kind.RULES_RELOADED, "test", "loaded", Map.of())));
      return null;
    });

    for (String sql : new String[] {"update audit_event set actor = 'someone else'", "delete from audit_event",
        "truncate audit_event"}) {
      assertThatThrownBy(() -> database().inTransaction(c -> c.createStatement().executeUpdate(sql)))
          .as(sql)
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("audit_event is append-only");
    }
    assertThat(count("select count(*) from audit_event")).isEqualTo(1);
  }

  @Test
  void concurrentClaimersSkipRowsAnotherHasLocked() throws Exception {
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    StoredAlert alert = onlyUndecided();
    database().inTransaction(c -> remediations.insert(c, decision(alert, "r1", RemediationState.PENDING, T0)));

    try (Connection first = database().dataSource().getConnection();
         Connection second = database().dataSource().getConnection()) {
      List<ClaimedRemediation> firstClaim =
          queue.claimDue(first, database().dialect(), "replica-1", T0, Duration.ofMinutes(5), 10);
      List<ClaimedRemediation> secondClaim =
          queue.claimDue(second, database().dialect(), "replica-2", T0, Duration.ofMinutes(5), 10);
      first.commit();
      second.commit();

      assertThat(firstClaim).hasSize(1);
      assertThat(secondClaim).as("the row locked by the first claimer is skipped, not waited for").isEmpty();
    }
    assertThat(count("select count(*) from remediation where claimed_by = 'replica-1' and attempts = 1")).isEqualTo(1);
  }

  @Test
  void bulkheadHoldsAcrossReplicas() throws Exception {
    // Two Database pools on one PostgreSQL database are two replicas. The first claims one row and
    // has not committed; the second, seeing the other row free and no committed claim, must wait
    // for the target's lock and then count the first's claim rather than run a second action.
    store(incoming(alert("a1", AlertStatus.FIRING, T0)));
    StoredAlert alert = onlyUndecided();
    queueOn(alert, "first", "deployer");
    queueOn(alert, "second", "deployer");
    ExecutorService replicaTwo = Executors.newSingleThreadExecutor();
    try (Database other = postgres.openReplica(); Connection first = database().dataSource().getConnection()) {
      List<ClaimedRemediation> firstClaim = queue.claimDue(first, database().dialect(), "replica-1", T0,
          claimed -> Duration.ofMinutes(5), 1, target -> 1);
      Future<List<ClaimedRemediation>> secondClaim = replicaTwo.submit(() -> other.inTransaction(c ->
          queue.claimDue(c, other.dialect(), "replica-2", T0, claimed -> Duration.ofMinutes(5), 10, target -> 1)));
      await("the second replica waits for the target's lock").atMost(Duration.ofSeconds(20))
          .until(() -> count("select count(*) from pg_locks where locktype = 'advisory' and not granted") == 1);
      first.commit();

      assertThat(firstClaim).extracting(ClaimedRemediation::rule).containsExactly("first");
      assertThat(secondClaim.get(20, TimeUnit.SECONDS)).as("it then counts the first replica's claim").isEmpty();
    } finally {
      replicaTwo.shutdownNow();
    }
    assertThat(count("select count(*) from remediation where state = 'running'")).isEqualTo(1);
    assertThat(count("select count(*) from remediation where state = 'pending' and attempts = 0")).isEqualTo(1);
  }

  @Test
  void unreachableStoreIsReportedAsUnavailable() {
    try (Database down = Database.open("jdbc:postgresql://127.0.0.1:1/nothing?user=postgres", 1)) {
      assertThat(down.isReachable()).isFalse();
      assertThatThrownBy(() -> down.inTransaction(c -> 1)).isInstanceOf(StoreUnavailableException.class);
    }
  }
}
