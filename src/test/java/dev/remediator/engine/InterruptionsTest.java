package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import dev.remediator.audit.AuditLog;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.RulesLoader;
import dev.remediator.rules.TestCatalog;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.ClaimedRemediation;
import dev.remediator.store.Database;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.NewRemediation;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.RemediationQueue;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationStore;
import dev.remediator.store.StoredAlert;
import dev.remediator.testing.FreshStore;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.Rows;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Work cut off by a dead process: the sweep interrupts it and, in the same transaction, escalates
 * it (the default) or re-checks the alert ({@code on_interrupt: recheck}), leaving it to be decided
 * again when the alert still fires; it is never simply run again.
 */
class InterruptionsTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final MutableClock clock = MutableClock.at(T0);
  private final RemediationQueue queue = new RemediationQueue();
  @RegisterExtension
  final FreshStore store = FreshStore.inMemory();
  private Database database;
  private RuleSet ruleSet;
  private WorkQueue workQueue;

  @BeforeEach
  void open() {
    database = store.database();
    workQueue = new WorkQueue(database, queue, new OutboxStore(), new AuditLog(), () -> ruleSet, clock, "replica-2");
  }

  private void rules(String onInterrupt) {
    ruleSet = new RulesLoader(TestCatalog.actions(), Map.of()).parse("rules.yml", """
        targets:
          deployer: {kind: command}
          oncall: {kind: webhook, url: "http://127.0.0.1:9/oncall"}
        escalate_to: oncall
        rules:
          - name: restart-api
            match: ['alertname="HighErrorRate"']
            action: command
            target: deployer
            with: {argv: ["/usr/bin/restart", "api"]}
            on_interrupt: %s
        """.formatted(onInterrupt));
  }

  private void store(AlertStatus status) {
    Alert alert = new Alert(status, Labels.of("alertname", "HighErrorRate"), Labels.EMPTY, T0,
        status == AlertStatus.RESOLVED ? Optional.of(T0.plusSeconds(30)) : Optional.empty(), "", null);
    Notification notification = new Notification("4", "g", 0, status, "remediator", null, null, null, "",
        Optional.empty(), List.of(alert));
    database.inTransaction(c -> new NotificationStore().store(c,
        List.of(new IncomingNotification(notification, "{}", "alertmanager@test", T0))));
  }

  /** A remediation claimed by a replica that then died: its lease is never renewed. */
  private long claimedByADeadReplica() {
    store(AlertStatus.FIRING);
    StoredAlert stored = database.inTransaction(c -> new AlertInbox().undecided(c, 10)).get(0);
    long id = database.inTransaction(c -> new RemediationStore().insert(c, new NewRemediation("restart-api", stored,
        "command", "deployer", stored.alert().fingerprint(), RemediationState.PENDING, "all guards passed",
        Map.of("argv", List.of("/usr/bin/restart", "api")), true, T0))).getAsLong();
    database.inTransaction(c -> queue.claimDue(c, database.dialect(), "replica-1", T0, Leases.MAX_LEASE, 1));
    return id;
  }

  private List<String> rows(String sql) {
    return Rows.of(database, sql);
  }

  @Test
  void byDefaultInterruptedWorkIsEscalatedInTheSweepsTransaction() {
    rules("escalate");
    long id = claimedByADeadReplica();

    assertThat(workQueue.sweepExpired()).as("the lease still runs").isZero();
    clock.advance(Leases.MAX_LEASE.plusSeconds(1));
    assertThat(workQueue.sweepExpired()).isEqualTo(1);

    assertThat(rows("select state from remediation where id = " + id)).containsExactly("interrupted");
    assertThat(rows("select kind from outbox")).containsExactly("escalate");
    assertThat(rows("select payload from outbox")).singleElement().asString()
        .contains("\"reason\":\"interrupted\"", "\"escalateTo\":\"oncall\"", "\"rule\":\"restart-api\"");
    assertThat(rows("select kind, actor from audit_event where remediation_id = " + id + " order by id"))
        .containsExactly("interrupted | replica-2");
    assertThat(rows("select detail from audit_event where kind = 'interrupted'")).singleElement().asString()
        .contains("\"onInterrupt\":\"escalate\"", "\"escalateTo\":\"oncall\"", "\"claimedBy\":\"replica-1\"");
  }

  @Test
  void recheckLeavesWorkWhoseAlertStillFiresToBeDecidedAgainNotRunAgain() {
    rules("recheck");
    long id = claimedByADeadReplica();
    clock.advance(Leases.MAX_LEASE.plusSeconds(1));

    assertThat(workQueue.sweepExpired()).isEqualTo(1);

    assertThat(rows("select state, attempts from remediation where id = " + id)).containsExactly("rechecking | 1");
    assertThat(rows("select count(*) from outbox")).containsExactly("0");
    assertThat(rows("select kind, outcome from audit_event where remediation_id = " + id + " order by id"))
        .containsExactly("interrupted | interrupted", "requeued | rechecking");
    assertThat(workQueue.claim(1)).as("the guards decide it again first").isEmpty();
  }

  @Test
  void recheckLeavesWorkWhoseAlertResolvedInterrupted() {
    rules("recheck");
    long id = claimedByADeadReplica();
    store(AlertStatus.RESOLVED);
    clock.advance(Leases.MAX_LEASE.plusSeconds(1));

    assertThat(workQueue.sweepExpired()).isEqualTo(1);

    assertThat(rows("select state from remediation where id = " + id)).containsExactly("interrupted");
    assertThat(rows("select count(*) from outbox")).containsExactly("0");
    assertThat(rows("select detail from audit_event where kind = 'interrupted'")).singleElement().asString()
        .contains(Interruptions.RESOLVED);
  }

  @Test
  void recheckEscalatesOnceTheAttemptsAreUsedUpSoACrashingActionCannotLoop() {
    rules("recheck");
    long id = claimedByADeadReplica();
    database.inTransaction(c -> c.createStatement().executeUpdate("update remediation set attempts = 3"));
    clock.advance(Leases.MAX_LEASE.plusSeconds(1));

    assertThat(workQueue.sweepExpired()).isEqualTo(1);

    assertThat(rows("select state from remediation where id = " + id)).containsExactly("interrupted");
    assertThat(rows("select kind from outbox")).containsExactly("escalate");
  }

  @Test
  void recheckUnderDryRunRulesEscalatesRatherThanRunsAgain() {
    rules("recheck");
    long id = claimedByADeadReplica();
    ruleSet = new RuleSet(ruleSet.source(), true, ruleSet.maxActions(), ruleSet.targets(), ruleSet.rules(),
        ruleSet.escalateTo(), ruleSet.targetBreakers());
    clock.advance(Leases.MAX_LEASE.plusSeconds(1));

    assertThat(workQueue.sweepExpired()).isEqualTo(1);

    assertThat(rows("select state from remediation where id = " + id)).containsExactly("interrupted");
    assertThat(rows("select kind from outbox")).containsExactly("escalate");
  }

  @Test
  void leaseOfAClaimFollowsItsDeadline() {
    rules("escalate");
    claimedByADeadReplica();
    database.inTransaction(c -> c.createStatement().executeUpdate(
        "update remediation set state = 'pending', claimed_by = null, lease_until = null"));

    List<ClaimedRemediation> claimed = workQueue.claim(1);

    assertThat(workQueue.deadline(claimed.get(0))).isEqualTo(Duration.ofSeconds(60));
    assertThat(rows("select lease_until from remediation")).singleElement().asString().contains("10:01:30");
  }
}
