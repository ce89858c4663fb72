package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.LabelMatcher;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import dev.remediator.audit.AuditLog;
import dev.remediator.engine.guard.AllowlistGuard;
import dev.remediator.engine.guard.ApprovalGuard;
import dev.remediator.engine.guard.CooldownGuard;
import dev.remediator.engine.guard.DryRunGuard;
import dev.remediator.engine.guard.RateLimitGuard;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.rules.ParamRenderer;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.Database;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.PauseStore;
import dev.remediator.store.RemediationStore;
import dev.remediator.testing.FreshStore;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.RecordingAction;
import dev.remediator.testing.Rows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deciding on PostgreSQL, where a statement that fails aborts the whole transaction: one alert
 * whose remediation the database refuses must not take the rest of its batch with it.
 */
class DeciderOnPostgresTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final MutableClock clock = MutableClock.at(T0);
  @RegisterExtension
  final FreshStore postgres = FreshStore.onPostgres();
  private Database database;

  @BeforeEach
  void open() {
    database = postgres.database();
  }

  private static Alert alert(String service) {
    return new Alert(AlertStatus.FIRING, Labels.of("alertname", "HighErrorRate", "service", service), Labels.EMPTY, T0,
        Optional.empty(), "", null);
  }

  private BlastRadius blastRadius() {
    return new BlastRadius(new KillSwitch(database, new PauseStore(), new AuditLog(), clock), new OutboxStore());
  }

  private int decide() {
    Rule rule = new Rule("restart-api", 1, List.of(LabelMatcher.of("alertname", LabelMatcher.Op.EQUAL, "HighErrorRate")),
        "command", "deployer", Map.of("argv", List.of("/usr/bin/restart", "{{ labels.service }}")),
        Map.of("service", Pattern.compile("^(?:[a-z0-9-]{1,63})$")),
        Optional.empty(), List.of("service"), Optional.empty(), false, false);
    RuleSet rules = new RuleSet("test.yml", false, Optional.empty(), Map.of(), List.of(rule), Optional.empty());
    GuardChain guards = new GuardChain(List.of(new DryRunGuard(false), new CooldownGuard(), new RateLimitGuard(),
        new AllowlistGuard(), new ApprovalGuard()));
    return new Decider(new AlertInbox(), new RemediationStore(), new OutboxStore(), new AuditLog(), guards,
        () -> rules, Map.of("command", new RecordingAction("command").spec()), new ParamRenderer(), Pins.NONE,
        blastRadius(), clock,
        new RemediatorMetrics(new SimpleMeterRegistry())).decideBatch(database, 100);
  }

  @Test
  void remediationTheDatabaseRefusesFailsOnlyItsOwnAlert() {
    database.inTransaction(c -> c.createStatement().executeUpdate(
        "alter table remediation add constraint refuses_api_bad check (params not like '%api-bad%')"));
    Notification notification = new Notification("4", "g", 0, AlertStatus.FIRING, "remediator", null, null, null, "",
        Optional.empty(), List.of(alert("api-1"), alert("api-bad"), alert("api-3")));
    database.inTransaction(c -> new NotificationStore().store(c,
        List.of(new IncomingNotification(notification, "{}", "alertmanager@test", T0))));

    assertThat(decide()).isEqualTo(3);

    assertThat(Rows.of(database, "select params from remediation order by id")).containsExactly(
        "{\"argv\":[\"/usr/bin/restart\",\"api-1\"]}", "{\"argv\":[\"/usr/bin/restart\",\"api-3\"]}");
    assertThat(Rows.of(database, "select count(*) from audit_event where kind = 'decided'")).containsExactly("2");
    assertThat(Rows.of(database, "select a.labels, e.detail from audit_event e join alert a on a.id = e.alert_id "
        + "where e.kind = 'decide_failed'")).singleElement().satisfies(row -> assertThat(row)
        .startsWith("{\"alertname\":\"HighErrorRate\",\"service\":\"api-bad\"} | {\"error\":\"PSQLException: ")
        .contains("refuses_api_bad"));
    assertThat(Rows.of(database, "select count(*) from alert where decided_at is null")).containsExactly("0");
    assertThat(decide()).isZero();
  }
}
