package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.store.Database;
import dev.remediator.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ApprovalExpiry} on PostgreSQL, where every replica runs the expiry loop: two expiring
 * the same approvals at once expire, audit and escalate each exactly once.
 */
class ApprovalExpiryOnPostgresTest extends ApprovalExpiryContract {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase();

  @Override
  Database openDatabase() {
    return db.openStore();
  }

  @Test
  void twoReplicasExpiringAtOnceExpireEachApprovalOnce() throws Exception {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 2 * ApprovalExpiry.BATCH + 5; i++) {
      ids.add(awaitingApproval("race-" + i));
    }
    clock.advance(TTL);
    List<ApprovalExpiry> replicas = List.of(expiry(), expiry());
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    int expired = 0;
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (ApprovalExpiry replica : replicas) {
        runs.add(pool.submit((Callable<Integer>) () -> {
          go.await();
          int total = 0;
          for (int step; (step = replica.expireDue()) > 0; ) {
            total += step;
          }
          return total;
        }));
      }
      go.countDown();
      for (Future<Integer> run : runs) {
        expired += run.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(expired).isEqualTo(ids.size());
    String in = "(" + String.join(", ", ids.stream().map(String::valueOf).toList()) + ")";
    assertThat(rows("select count(*) from remediation where state = 'expired' and id in " + in))
        .containsExactly(Integer.toString(ids.size()));
    assertThat(rows("select count(*) from audit_event where kind = 'approval_expired' and remediation_id in " + in))
        .containsExactly(Integer.toString(ids.size()));
    assertThat(rows("select count(*) from outbox where remediation_id in " + in))
        .containsExactly(Integer.toString(ids.size()));
  }
}
