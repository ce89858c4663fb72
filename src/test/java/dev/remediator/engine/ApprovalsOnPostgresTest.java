package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.remediator.audit.AuditLog;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.ApprovalOutcome;
import dev.remediator.store.Database;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationStore;
import dev.remediator.testing.AtOnce;
import dev.remediator.testing.FreshStore;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Approvals on PostgreSQL, where replicas and operators act at once: of concurrent approvals
 * (or an approval racing a rejection) of one remediation exactly one moves it, with exactly one
 * audit event, and the others learn the state it was left in.
 */
class ApprovalsOnPostgresTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final MutableClock clock = MutableClock.at(T0);
  private final AtomicInteger wakeups = new AtomicInteger();
  @RegisterExtension
  final FreshStore postgres = FreshStore.onPostgres();
  private Database database;
  private Approvals approvals;

  @BeforeEach
  void open() {
    database = postgres.database();
    RuleSet rules = new RuleSet("test.yml", false, Optional.empty(), Map.of(), List.of(), Optional.empty());
    approvals = new Approvals(database, new RemediationStore(), new AuditLog(),
        new ApprovalExpiry(database, new RemediationStore(), new OutboxStore(), new AuditLog(), () -> rules, clock),
        clock, wakeups::incrementAndGet);
  }

  /** Stores an alert and its remediation awaiting approval; returns the remediation id. */
  private long awaitingApproval(String fingerprint) {
    return database.inTransaction(c -> {
      long notification;
      try (PreparedStatement insert = c.prepareStatement("insert into notification (received_at, actor, receiver, "
          + "group_key, status, truncated_alerts, external_url, alert_count, payload) "
          + "values (?, 'alertmanager', 'r', 'g', 'firing', 0, '', 1, '{}')", new String[] {"id"})) {
        database.dialect().setInstant(insert, 1, T0);
        insert.executeUpdate();
        notification = generated(insert);
      }
      long alert;
      try (PreparedStatement insert = c.prepareStatement("insert into alert (notification_id, fingerprint, status, "
          + "starts_at, alertname, labels, annotations, generator_url, received_at, decided_at) "
          + "values (?, ?, 'firing', ?, 'Load', '{}', '{}', '', ?, ?)", new String[] {"id"})) {
        insert.setLong(1, notification);
        insert.setString(2, fingerprint);
        database.dialect().setInstant(insert, 3, T0);
        database.dialect().setInstant(insert, 4, T0);
        database.dialect().setInstant(insert, 5, T0);
        insert.executeUpdate();
        alert = generated(insert);
      }
      try (PreparedStatement insert = c.prepareStatement("insert into remediation (rule_name, fingerprint, "
          + "starts_at, alert_id, alertname, action, target, group_key, state, reason, params, counts, decided_at, "
          + "not_before) values ('restart-api', ?, ?, ?, 'Load', 'command', 'host', 'g', 'awaiting_approval', "
          + "'rule restart-api requires approval', '{}', true, ?, ?)", new String[] {"id"})) {
        insert.setString(1, fingerprint);
        database.dialect().setInstant(insert, 2, T0);
        insert.setLong(3, alert);
        database.dialect().setInstant(insert, 4, T0);
        database.dialect().setInstant(insert, 5, T0);
        insert.executeUpdate();
        return generated(insert);
      }
    });
  }

  private static long generated(PreparedStatement insert) throws java.sql.SQLException {
    try (ResultSet keys = insert.getGeneratedKeys()) {
      keys.next();
      return keys.getLong(1);
    }
  }

  @Test
  void ofManyConcurrentApprovalsExactlyOneMovesTheRemediationAndIsAudited() throws Exception {
    long id = awaitingApproval("f1");
    int operators = 8;
    List<Callable<ApprovalOutcome>> answers = new ArrayList<>();
    for (int i = 0; i < operators; i++) {
      String actor = "operator@10.0.0." + i;
      answers.add(() -> approvals.approve(id, actor, null));
    }
    List<ApprovalOutcome> outcomes = AtOnce.run(answers);
    assertThat(outcomes).filteredOn(o -> o instanceof ApprovalOutcome.Moved).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o instanceof ApprovalOutcome.NotAwaiting)
        .hasSize(operators - 1)
        .allSatisfy(o -> assertThat(((ApprovalOutcome.NotAwaiting) o).state()).isEqualTo(RemediationState.PENDING));
    assertThat(Rows.of(database, "select state from remediation where id = ?", id)).containsExactly("pending");
    assertThat(Rows.of(database, "select kind, outcome from audit_event where remediation_id = ?", id))
        .containsExactly("approved | approved");
    assertThat(wakeups).hasValue(1);
  }

  @Test
  void anApprovalWaitingOnARejectionsRowLockSeesTheRejectionAndChangesNothing() throws Exception {
    long id = awaitingApproval("f2");
    RemediationStore store = new RemediationStore();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection rejecting = database.dataSource().getConnection()) {
      ApprovalOutcome rejected = store.reject(rejecting, id, T0, "rejected by operator@a");
      assertThat(rejected).isInstanceOf(ApprovalOutcome.Moved.class);

      Future<ApprovalOutcome> approving = pool.submit(() -> approvals.approve(id, "operator@b", null));
      // The approval's conditional update now waits for the rejecting transaction's row lock.
      await().atMost(Duration.ofSeconds(30)).until(() -> Long.parseLong(Rows.of(database,
          "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()")
          .get(0)) == 1);
      rejecting.commit();

      assertThat(approving.get(30, TimeUnit.SECONDS))
          .isEqualTo(new ApprovalOutcome.NotAwaiting(id, RemediationState.REJECTED));
    } finally {
      pool.shutdownNow();
    }
    assertThat(Rows.of(database, "select state, reason from remediation where id = ?", id))
        .containsExactly("rejected | rejected by operator@a");
    assertThat(Rows.of(database, "select count(*) from audit_event where remediation_id = ?", id))
        .containsExactly("0");
    assertThat(wakeups).hasValue(0);
  }
}
