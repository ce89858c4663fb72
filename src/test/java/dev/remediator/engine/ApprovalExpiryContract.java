package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import dev.remediator.audit.AuditLog;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.ApprovalOutcome;
import dev.remediator.store.Database;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.Ledger;
import dev.remediator.store.NewRemediation;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationStore;
import dev.remediator.store.StoredAlert;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.Rows;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Approvals that nobody gives in time, on a real store: after its expiry a remediation awaiting
 * approval becomes expired, is audited and escalated once, and can no longer be approved, even
 * when the operator is quicker than the expiry loop.
 */
abstract class ApprovalExpiryContract {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final Duration TTL = Duration.ofMinutes(30);
  /** Tells apart the alerts of tests that share a database, which would otherwise be duplicates. */
  private static final AtomicInteger ALERTS = new AtomicInteger();

  final MutableClock clock = MutableClock.at(T0);
  final AtomicInteger wakeups = new AtomicInteger();
  volatile RuleSet ruleSet = new RuleSet("test.yml", false, Optional.empty(), Map.of(
      "deployer", new Target("deployer", TargetKind.COMMAND, Map.of()),
      "oncall", new Target("oncall", TargetKind.WEBHOOK, Map.of("url", "http://127.0.0.1:9/hook"))),
      List.of(), Optional.of("oncall"));
  Database database;
  ApprovalExpiry expiry;
  Approvals approvals;

  abstract Database openDatabase();

  @BeforeEach
  void open() {
    database = openDatabase();
    expiry = expiry();
    approvals = new Approvals(database, new RemediationStore(), new AuditLog(), expiry, clock,
        wakeups::incrementAndGet);
  }

  @AfterEach
  void close() {
    database.close();
  }

  ApprovalExpiry expiry() {
    return new ApprovalExpiry(database, new RemediationStore(), new OutboxStore(), new AuditLog(), () -> ruleSet,
        clock);
  }

  /** A remediation of {@code service}'s alert, decided now to await approval until now + {@link #TTL}. */
  long awaitingApproval(String service) {
    Alert alert = new Alert(AlertStatus.FIRING, Labels.of("alertname", "HighErrorRate", "service", service,
        "test", Integer.toString(ALERTS.incrementAndGet())), Labels.EMPTY, T0, Optional.empty(), "", null);
    Notification notification = new Notification("4", "g-" + service, 0, alert.status(), "remediator", null, null,
        null, "", Optional.empty(), List.of(alert));
    database.inTransaction(c -> new NotificationStore().store(c,
        List.of(new IncomingNotification(notification, "{}", "alertmanager@test", clock.instant()))));
    StoredAlert stored = database.inTransaction(c -> new AlertInbox().undecided(c, 10)).get(0);
    return database.inTransaction(c -> {
      new AlertInbox().markDecided(c, List.of(stored), clock.instant());
      return new RemediationStore().insert(c, new NewRemediation("restart-api", stored, "command", "deployer",
          stored.alert().fingerprint(), RemediationState.AWAITING_APPROVAL, "rule restart-api requires approval",
          Map.of("argv", List.of("/usr/bin/restart", service)), true, clock.instant(), Ledger.Budget.LIVE,
          clock.instant().plus(TTL))).getAsLong();
    });
  }

  List<String> rows(String sql, Object... args) {
    return Rows.of(database, sql, args);
  }

  @Test
  void anApprovalNobodyGaveIsExpiredAuditedAndEscalatedOnceWhenItsTimeRunsOut() {
    long id = awaitingApproval("api-1");

    clock.advance(TTL.minusSeconds(1));
    assertThat(expiry.expireDue()).as("not before its time").isZero();
    assertThat(rows("select state from remediation where id = ?", id)).containsExactly("awaiting_approval");

    clock.advance(Duration.ofSeconds(1));
    assertThat(expiry.expireDue()).isEqualTo(1);

    assertThat(rows("select state, reason from remediation where id = ?", id))
        .containsExactly("expired | nobody approved it before " + T0.plus(TTL));
    assertThat(rows("select count(*) from remediation where id = ? and finished_at is not null and counts = ?", id,
        false)).containsExactly("1");
    assertThat(rows("select kind, actor, outcome, rule_name, fingerprint, alertname, detail from audit_event "
        + "where remediation_id = ? and kind = 'approval_expired'", id)).singleElement().asString()
        .startsWith("approval_expired | remediator | expired | restart-api | ")
        .contains("| HighErrorRate | ", "\"expiresAt\":\"" + T0.plus(TTL) + "\"");
    assertThat(rows("select kind, reason, payload from outbox where remediation_id = ?", id)).singleElement()
        .asString().startsWith("escalate | approval_expired | ").contains("\"escalateTo\":\"oncall\"");

    clock.advance(Duration.ofHours(1));
    assertThat(expiry.expireDue()).as("expired once").isZero();
    assertThat(rows("select count(*) from outbox where remediation_id = ?", id)).containsExactly("1");
    assertThat(rows("select count(*) from audit_event where remediation_id = ? and kind = 'approval_expired'", id))
        .containsExactly("1");
  }

  @Test
  void approvingAfterTheExpiryIsRefusedEvenBeforeTheExpiryLoopRan() {
    long id = awaitingApproval("api-2");
    clock.advance(TTL);

    ApprovalOutcome outcome = approvals.approve(id, "operator@127.0.0.1", "late");

    assertThat(outcome).isEqualTo(new ApprovalOutcome.NotAwaiting(id, RemediationState.EXPIRED));
    assertThat(wakeups.get()).as("nothing to run").isZero();
    assertThat(rows("select kind from audit_event where remediation_id = ? order by id", id))
        .containsExactly("approval_expired");
    assertThat(rows("select count(*) from outbox where remediation_id = ?", id)).containsExactly("1");
    assertThat(approvals.reject(id, "operator@127.0.0.1", null))
        .isEqualTo(new ApprovalOutcome.NotAwaiting(id, RemediationState.EXPIRED));
    assertThat(expiry.expireDue()).isZero();
  }

  @Test
  void anApprovalGivenInTimeIsNotExpiredLater() {
    long id = awaitingApproval("api-3");
    clock.advance(TTL.minusSeconds(1));

    assertThat(approvals.approve(id, "operator@127.0.0.1", null)).isInstanceOf(ApprovalOutcome.Moved.class);
    clock.advance(Duration.ofHours(1));

    assertThat(expiry.expireDue()).isZero();
    assertThat(rows("select state from remediation where id = ?", id)).containsExactly("pending");
    assertThat(rows("select count(*) from outbox where remediation_id = ?", id)).containsExactly("0");
  }

  @Test
  void withoutEscalateToAnExpiredApprovalIsAuditedButNotEscalated() {
    ruleSet = new RuleSet("test.yml", false, Optional.empty(), ruleSet.targets(), List.of(), Optional.empty());
    long id = awaitingApproval("api-4");
    clock.advance(TTL);

    assertThat(expiry.expireDue()).isEqualTo(1);

    assertThat(rows("select state from remediation where id = ?", id)).containsExactly("expired");
    assertThat(rows("select count(*) from audit_event where remediation_id = ? and kind = 'approval_expired'", id))
        .containsExactly("1");
    assertThat(rows("select count(*) from outbox where remediation_id = ?", id)).containsExactly("0");
  }
}
