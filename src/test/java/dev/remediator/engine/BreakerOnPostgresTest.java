package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.action.ActionResult;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.Database;
import dev.remediator.testing.AtOnce;
import dev.remediator.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The breakers on PostgreSQL, where replicas share them: two {@link Database} pools on one
 * database stand for two replicas, which see one breaker state and, recording outcomes at the
 * same time, open it exactly once and escalate that opening once.
 */
class BreakerOnPostgresTest extends BreakerContract {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase();

  @Override
  Database openDatabase() {
    return db.openStore();
  }

  @Test
  void aBreakerOneReplicaOpensStopsTheOtherReplicasGuardAndWorker() throws Exception {
    try (Database other = db.openStore()) {
      for (int i = 0; i < 5; i++) {
        decideAndRun("restart-api", "api", failure());
      }
      Verdict verdict = ask(other, "restart-api", "api");
      assertThat(verdict).isInstanceOf(Verdict.Skip.class);
      assertThat(verdict.reason()).startsWith("breaker open until");

      pending("restart-api", "api");
      ClaimedRemediation claim = claim(other);
      List<String> ran = new ArrayList<>();
      ActionResult result = pipeline(other, c -> {
        ran.add("ran");
        return success();
      }).run(claim);
      assertThat(result).isInstanceOf(ActionResult.Cancelled.class);
      assertThat(ran).isEmpty();

      clock.advance(Duration.ofMinutes(10));
      assertThat(ask(other, "restart-api", "api").passes()).as("half open on every replica").isTrue();
    }
  }

  @Test
  void twoReplicasRecordingFailuresAtOnceOpenTheBreakerOnceAndEscalateOnce() throws Exception {
    try (Database other = db.openStore()) {
      for (int i = 0; i < 12; i++) {
        pending("restart-api", "api");
      }
      List<ClaimedRemediation> claims = database.inTransaction(c ->
          queue.claimDue(c, database.dialect(), "worker-1", clock.instant(), Duration.ofMinutes(5), 12));
      assertThat(claims).hasSize(12);
      List<OutcomeRecorder> recorders = List.of(recorder(database, "worker-1"), recorder(other, "worker-1"));
      List<Callable<Integer>> replicas = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        int replica = r;
        replicas.add(() -> {
          int recorded = 0;
          for (int i = replica; i < claims.size(); i += 2) {
            recorders.get(replica).record(claims.get(i), clock.instant(), failure(), false);
            recorded++;
          }
          return recorded;
        });
      }
      assertThat(AtOnce.run(replicas)).containsExactly(6, 6);

      assertThat(rows("select count(*) from remediation where target = ? and state = 'failed'", target))
          .containsExactly("12");
      assertThat(breakerEvents()).containsExactly("breaker_opened open");
      assertThat(rows("select detail from audit_event where kind = 'breaker_opened' and target = ?", target).get(0))
          .as("opened by the fifth failure, whichever replica recorded it").contains("\"calls\":5", "\"failures\":5");
      assertThat(breakerEscalations()).isEqualTo(1);
    }
  }
}
