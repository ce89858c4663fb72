package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.store.Database;
import dev.remediator.testing.AtOnce;
import dev.remediator.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@link Verifier} on PostgreSQL, a fresh database per test, where replicas share the
 * outbox: two verifiers draining it at the same time end each verification exactly once.
 */
class VerifierOnPostgresTest extends VerifierContract {
  private TestDatabase db;

  @Override
  Database openStore() {
    if (db == null) {
      db = new TestDatabase().open();
    }
    return db.openStore();
  }

  @Override
  void dropStore() {
    db.close();
  }

  @Test
  void twoVerifiersDrainingTheSameOutboxEndEachVerificationOnce() throws Exception {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ids.add(succeeded("    verify: {resolved_within: 5m}\n", "svc-" + i));
    }
    for (int i = 0; i < ids.size(); i += 2) {
      resolvedAt(at(20), "svc-" + i);
    }
    clock.set(at(300));
    List<Verifier> verifiers = List.of(verifier(), verifier("verifier-2", Optional.empty()));
    assertThat(AtOnce.drain(List.of(verifiers.get(0)::verifyDue, verifiers.get(1)::verifyDue)))
        .isEqualTo(ids.size());

    for (int i = 0; i < ids.size(); i++) {
      long id = ids.get(i);
      assertThat(rows("select verification from remediation where id = ?", id))
          .containsExactly(i % 2 == 0 ? "verified" : "not_verified");
      assertThat(verdicts(id)).hasSize(1);
      assertThat(escalations(id)).filteredOn(payload -> payload.contains("\"reason\":\"not_verified\""))
          .hasSize(i % 2 == 0 ? 0 : 1);
    }
    assertThat(ended).hasSize(ids.size());
    assertThat(rows("select payload from outbox where kind = 'escalate'")).as("half the calls not verified open the"
        + " breaker once, whichever verifier ended the one that tipped it").filteredOn(payload ->
        payload.contains("\"reason\":\"breaker_open\"")).singleElement().asString().contains("\"calls\":12");
  }
}
