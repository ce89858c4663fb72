package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.store.Ledger;
import dev.remediator.store.StoredAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SimulatedLedgerTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private static Instant at(long minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  @Test
  void aLiveViewCountsOnlyLiveDecisionsAndADryRunViewCountsBoth() {
    SimulatedLedger ledger = new SimulatedLedger();
    ledger.acted("restart", "g1", "api", at(0), Ledger.Budget.LIVE);
    ledger.acted("restart", "g1", "api", at(5), Ledger.Budget.DRY_RUN);
    ledger.acted("restart", "g2", "web", at(5), Ledger.Budget.LIVE);
    ledger.acted("scale", "g1", "api", at(10), Ledger.Budget.LIVE);

    Ledger live = ledger.view(Ledger.Budget.LIVE);
    Ledger dryRun = ledger.view(Ledger.Budget.DRY_RUN);

    assertThat(live.lastActed("restart", "g1")).contains(at(0));
    assertThat(dryRun.lastActed("restart", "g1")).contains(at(5));
    assertThat(live.lastActed("restart", "g3")).isEmpty();
    assertThat(live.countSince("restart", at(0), 10)).isEqualTo(1);
    assertThat(dryRun.countSince("restart", at(0), 10)).isEqualTo(2);
    assertThat(dryRun.countSince("restart", at(-1), 10)).isEqualTo(3);
    assertThat(dryRun.countSince("restart", at(-1), 2)).isEqualTo(2);
    assertThat(live.countAllSince(at(4), 10)).isEqualTo(2);
    assertThat(live.countForServiceSince("restart", "api", at(-1), 10)).isEqualTo(1);
    assertThat(dryRun.countForServiceSince("restart", "api", at(-1), 10)).isEqualTo(2);
  }

  @Test
  void instancesAreTheDistinctInstanceOrPodLabelsOfAServiceSeenInTheWindow() {
    SimulatedLedger ledger = new SimulatedLedger();
    ledger.seen(alert("instance", "a"), at(0));
    ledger.seen(alert("instance", "b"), at(10));
    ledger.seen(alert("pod", "c"), at(20));
    ledger.seen(alert("instance", "a"), at(30));

    assertThat(ledger.view(Ledger.Budget.LIVE).instancesSince("api", at(5))).isEqualTo(3);
    assertThat(ledger.view(Ledger.Budget.LIVE).instancesSince("api", at(25))).isEqualTo(1);
    assertThat(ledger.view(Ledger.Budget.LIVE).instancesSince("web", at(0))).isZero();
  }

  @Test
  void decisionsAreRecordedInTimeOrder() {
    SimulatedLedger ledger = new SimulatedLedger();
    ledger.acted("restart", "g1", "api", at(5), Ledger.Budget.LIVE);

    assertThatThrownBy(() -> ledger.acted("restart", "g1", "api", at(4), Ledger.Budget.LIVE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("decisions are recorded in time order, but " + at(4) + " is before " + at(5));
  }

  private static StoredAlert alert(String label, String value) {
    return new StoredAlert(1, 1, new Alert(AlertStatus.FIRING, Labels.of("alertname", "Down", "service", "api", label,
        value), Labels.EMPTY, T0, Optional.empty(), "", "fp"));
  }
}
