package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.store.Database;
import dev.remediator.testing.AtOnce;
import dev.remediator.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
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
    assertThat(AtOnce.drain(List.of(replicas.get(0)::expireDue, replicas.get(1)::expireDue))).isEqualTo(ids.size());
    String in = "(" + String.join(", ", ids.stream().map(String::valueOf).toList()) + ")";
    assertThat(rows("select count(*) from remediation where state = 'expired' and id in " + in))
        .containsExactly(Integer.toString(ids.size()));
    assertThat(rows("select count(*) from audit_event where kind = 'approval_expired' and remediation_id in " + in))
        .containsExactly(Integer.toString(ids.size()));
    assertThat(rows("select count(*) from outbox where remediation_id in " + in))
        .containsExactly(Integer.toString(ids.size()));
  }
}
