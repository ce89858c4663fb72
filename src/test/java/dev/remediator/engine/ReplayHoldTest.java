package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import dev.remediator.audit.AuditLog;
import dev.remediator.engine.guard.AllowlistGuard;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.rules.ParamRenderer;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.Database;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.PauseStore;
import dev.remediator.store.RemediationStore;
import dev.remediator.testing.InMemoryStore;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.Rows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The alerts a replay stores are the replay's to decide: the decider leaves them alone while the
 * replay holds them, and takes over what is still undecided once the hold ends.
 */
class ReplayHoldTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final MutableClock clock = MutableClock.at(T0);
  private Database database;
  private Decider decider;

  @BeforeEach
  void open() {
    database = InMemoryStore.open();
    decider = new Decider(new AlertInbox(), new RemediationStore(), new OutboxStore(), new AuditLog(),
        new GuardChain(List.of(new AllowlistGuard())), () -> RuleSet.empty("test.yml"), Map.of(), new ParamRenderer(), Pins.NONE,
        new BlastRadius(new KillSwitch(database, new PauseStore(), new AuditLog(), clock), new OutboxStore()), clock,
        new RemediatorMetrics(new SimpleMeterRegistry()));
  }

  @AfterEach
  void close() {
    database.close();
  }

  private void receive(String fingerprint, Instant heldUntil) {
    Alert alert = new Alert(AlertStatus.FIRING, Labels.of("alertname", "Load"), Labels.EMPTY, T0, Optional.empty(),
        "", fingerprint);
    Notification notification = new Notification("4", "g", 0, AlertStatus.FIRING, "replay", null, null, null, "",
        Optional.empty(), List.of(alert));
    database.inTransaction(c -> new NotificationStore().store(c,
        List.of(new IncomingNotification(notification, "{}", "operator@test", T0, heldUntil))));
  }

  @Test
  void theDeciderLeavesAReplaysAlertsAloneUntilTheHoldEnds() {
    receive("held", T0.plus(Replays.HOLD));
    receive("webhook", null);

    assertThat(decider.decideBatch(database, 10)).isEqualTo(1);
    assertThat(Rows.of(database, "select fingerprint from alert where decided_at is null")).containsExactly("held");

    clock.advance(Replays.HOLD.minus(Duration.ofSeconds(1)));
    assertThat(decider.decideBatch(database, 10)).isZero();

    clock.advance(Duration.ofSeconds(1));
    assertThat(decider.decideBatch(database, 10)).isEqualTo(1);
    assertThat(Rows.of(database, "select count(*) from alert where decided_at is null")).containsExactly("0");
    assertThat(Rows.of(database, "select kind, actor from audit_event where fingerprint = 'held'"))
        .containsExactly("unmatched | remediator");
  }
}
