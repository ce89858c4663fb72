package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.store.Ledger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BatchLedgerTest {
  private static final Instant T0 = Instant.parse("2026-11-24T05:00:00Z");

  /** A store ledger that answers fixed figures and writes down every question it is asked. */
  private static final class AskedLedger implements Ledger {
    final List<String> asked = new ArrayList<>();

    @Override
    public Budget budget() {
      return Budget.LIVE;
    }

    @Override
    public Optional<Instant> lastActed(String rule, String group) {
      asked.add("last " + rule + " " + group);
      return group.equals("old") ? Optional.of(T0.minusSeconds(3600)) : Optional.empty();
    }

    @Override
    public long countSince(String rule, Instant since, int cap) {
      asked.add("count " + rule);
      return 1;
    }

    @Override
    public long countAllSince(Instant since, int cap) {
      asked.add("count all");
      return 2;
    }

    @Override
    public long countForServiceSince(String rule, String service, Instant since, int cap) {
      asked.add("count " + rule + " on " + service);
      return 1;
    }

    @Override
    public long instancesSince(String service, Instant since) {
      asked.add("instances of " + service);
      return 4;
    }
  }

  private final AskedLedger store = new AskedLedger();
  private final BatchLedger ledger = new BatchLedger(store);

  @Test
  void eachQuestionGoesToTheStoreOnce() {
    for (int i = 0; i < 3; i++) {
      ledger.lastActed("restart", "old");
      ledger.countSince("restart", T0.minusSeconds(600), 5);
      ledger.countAllSince(T0.minusSeconds(600), 5);
    }

    assertThat(store.asked).containsExactly("last restart old", "count restart", "count all");
  }

  @Test
  void answersFollowTheDecisionsWrittenSince() {
    Instant since = T0.minusSeconds(600);
    ledger.countSince("restart", since, 3);
    ledger.countSince("flush", since, 3);
    ledger.countAllSince(since, 3);
    ledger.lastActed("restart", "old");

    ledger.acted("restart", "old", "api", T0);

    assertThat(ledger.lastActed("restart", "old")).contains(T0);
    assertThat(ledger.lastActed("restart", "new")).isEmpty();
    assertThat(ledger.countSince("restart", since, 3)).isEqualTo(2);
    assertThat(ledger.countSince("flush", since, 3)).as("another rule's count").isEqualTo(1);
    assertThat(ledger.countAllSince(since, 3)).isEqualTo(3);

    ledger.acted("restart", "new", "api", T0);

    assertThat(ledger.countAllSince(since, 3)).as("counted no further than the cap").isEqualTo(3);
    assertThat(ledger.lastActed("restart", "new")).contains(T0);
    assertThat(store.asked).as("only the first question about group new went to the store").hasSize(5);
  }

  @Test
  void serviceCountsFollowOnlyDecisionsForTheirService() {
    Instant since = T0.minusSeconds(600);
    ledger.countForServiceSince("restart", "api", since, 5);
    ledger.countForServiceSince("restart", "web", since, 5);
    ledger.instancesSince("api", since);

    ledger.acted("restart", "pod-1", "api", T0);
    ledger.acted("flush", "pod-1", "api", T0);

    assertThat(ledger.countForServiceSince("restart", "api", since, 5)).isEqualTo(2);
    assertThat(ledger.countForServiceSince("restart", "web", since, 5)).as("another service").isEqualTo(1);
    assertThat(ledger.instancesSince("api", since)).isEqualTo(4);
    assertThat(store.asked).containsExactly("count restart on api", "count restart on web", "instances of api");
  }

  @Test
  void forgettingAsksTheStoreAgain() {
    ledger.lastActed("restart", "old");
    ledger.acted("restart", "old", "api", T0);

    ledger.forget();

    assertThat(ledger.lastActed("restart", "old")).contains(T0.minusSeconds(3600));
    assertThat(store.asked).containsExactly("last restart old", "last restart old");
  }
}
