package dev.remediator.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditLog;
import dev.remediator.engine.Retention;
import dev.remediator.testing.MutableClock;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Retention on a real store: what is deleted and what is kept. How deleting stays one at a time is
 * each store's own: see the subclasses.
 */
abstract class RetentionContract {
  static final Instant OLD = Instant.parse("2026-10-01T10:00:00Z");
  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  final MutableClock clock = MutableClock.at(NOW);
  final RemediationStore remediations = new RemediationStore();

  abstract Database database();

  Retention retention() {
    return new Retention(database(), new RetentionStore(), clock, Duration.ofDays(30));
  }

  /** Stores one alert received at {@code at}; decides it at {@code at} with {@code state} unless null. */
  long alertAt(String fingerprint, Instant at, boolean decided, RemediationState state) {
    Alert alert = StoreContract.alert(fingerprint, AlertStatus.FIRING, at);
    IncomingNotification incoming = new IncomingNotification(StoreContract.incoming(alert).notification(), "{}",
        "alertmanager@test", at);
    return database().inTransaction(c -> {
      StoredNotification stored = new NotificationStore().store(c, List.of(incoming)).get(0);
      new AuditLog().append(c, List.of(AuditEvent.forNotification(at, AuditEvent.Kind.RECEIVED, "alertmanager@test",
          stored.id(), alert, "firing", Map.of())));
      StoredAlert undecided = new AlertInbox().undecided(c, 100).stream()
          .filter(a -> a.alert().fingerprint().equals(fingerprint)).findFirst().orElseThrow();
      if (decided) {
        new AlertInbox().markDecided(c, List.of(undecided), at);
      }
      if (state != null) {
        remediations.insert(c, new NewRemediation("r1", undecided, "command", "deployer", fingerprint, state, "test",
            Map.of(), false, at));
      }
      return undecided.id();
    });
  }

  List<String> fingerprints(String table) {
    String sql = table.equals("alert") ? "select fingerprint from alert order by fingerprint"
        : "select a.fingerprint from notification n join alert a on a.notification_id = n.id order by a.fingerprint";
    return database().inTransaction(c -> {
      List<String> rows = new ArrayList<>();
      try (PreparedStatement select = c.prepareStatement(sql); ResultSet row = select.executeQuery()) {
        while (row.next()) {
          rows.add(row.getString(1));
        }
      }
      return rows;
    });
  }

  long count(String sql) {
    return database().inTransaction(c -> {
      try (PreparedStatement select = c.prepareStatement(sql); ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    });
  }

  @Test
  void deletesOldAlertsAndNotificationsButKeepsWhatIsStillNeededAndTheAuditTrail() {
    alertAt("old-done", OLD, true, null);
    alertAt("old-undecided", OLD, false, null);
    alertAt("old-pending", OLD, true, RemediationState.PENDING);
    alertAt("old-running", OLD, true, RemediationState.RUNNING);
    alertAt("old-succeeded", OLD, true, RemediationState.SUCCEEDED);
    alertAt("recent", NOW.minus(Duration.ofDays(29)), true, null);
    long auditBefore = count("select count(*) from audit_event");

    int deleted = retention().deleteBatch();

    assertThat(deleted).isEqualTo(4);
    assertThat(fingerprints("alert")).containsExactly("old-pending", "old-running", "old-undecided", "recent");
    assertThat(fingerprints("notification")).containsExactly("old-pending", "old-running", "old-undecided", "recent");
    assertThat(count("select count(*) from notification")).isEqualTo(4);
    assertThat(count("select count(*) from remediation where fingerprint = 'old-succeeded' and alert_id is null"))
        .isEqualTo(1);
    assertThat(count("select count(*) from audit_event")).isEqualTo(auditBefore);
    assertThat(retention().deleteBatch()).isZero();
  }

  @Test
  void aRemediationDecidedInsideTheWindowKeepsItsAlert() {
    long alert = alertAt("old-but-recently-decided", OLD, true, null);
    database().inTransaction(c -> {
      StoredAlert stored = new AlertInbox().undecided(c, 1).stream().findFirst().orElse(null);
      try (PreparedStatement insert = c.prepareStatement("""
          insert into remediation (rule_name, fingerprint, starts_at, alert_id, alertname, action, target, group_key,
            state, reason, params, counts, decided_at, not_before)
          select 'r1', fingerprint, starts_at, id, alertname, 'command', 'deployer', '', 'succeeded', '', '{}', true,
            ?, ? from alert where id = ?""")) {
        database().dialect().setInstant(insert, 1, NOW.minus(Duration.ofDays(1)));
        database().dialect().setInstant(insert, 2, NOW.minus(Duration.ofDays(1)));
        insert.setLong(3, alert);
        insert.executeUpdate();
      }
      return stored;
    });

    assertThat(retention().deleteBatch()).isZero();
    assertThat(fingerprints("alert")).containsExactly("old-but-recently-decided");
  }

  @Test
  void deletesInBatchesUntilNothingIsDue() {
    for (int i = 0; i < Retention.BATCH + 20; i++) {
      alertAt("fp-" + i, OLD, true, null);
    }

    assertThat(retention().deleteBatch()).isEqualTo(2 * Retention.BATCH);
    assertThat(retention().deleteBatch()).isEqualTo(2 * 20);
    assertThat(retention().deleteBatch()).isZero();
    assertThat(count("select count(*) from alert") + count("select count(*) from notification")).isZero();
  }

  @Test
  void theWindowMovesWithTheClock() {
    alertAt("recent", NOW.minus(Duration.ofDays(29)), true, null);
    assertThat(retention().deleteBatch()).isZero();

    clock.advance(Duration.ofDays(2));

    assertThat(retention().deleteBatch()).isEqualTo(2);
  }
}
