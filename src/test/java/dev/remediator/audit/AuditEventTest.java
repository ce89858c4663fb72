package dev.remediator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.store.RemediationRef;
import dev.remediator.store.StoredAlert;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditEventTest {
  private static final Instant AT = Instant.parse("2026-11-22T10:00:00.123456789Z");
  private static final StoredAlert ALERT = new StoredAlert(7, 3, new Alert(AlertStatus.FIRING,
      Labels.of("alertname", "HighErrorRate", "service", "api"), Labels.of(), Instant.parse("2026-11-22T09:58:00Z"),
      Optional.empty(), "", "0000000000000001"));

  @Test
  void canonicalFormIsPinnedByteForByte() {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("reason", "tab\there, \"quoted\", ünïcödé");
    detail.put("attempt", 2);
    detail.put("argv", List.of("kubectl", "rollout"));
    AuditEvent event = AuditEvent.forRemediation(AT, AuditEvent.Kind.STARTED, "host/42", ALERT,
        new RemediationRef(11, "restart-api", "command", "deployer"), "started", detail);

    String expected = "{\"action\":\"command\",\"actor\":\"host/42\",\"alertId\":7,\"alertname\":\"HighErrorRate\","
        + "\"at\":\"2026-11-22T10:00:00.123456Z\",\"detail\":{\"argv\":[\"kubectl\",\"rollout\"],\"attempt\":2,"
        + "\"reason\":\"tab\\there, \\\"quoted\\\", ünïcödé\"},\"fingerprint\":\"0000000000000001\",\"kind\":\"started\","
        + "\"notificationId\":3,\"outcome\":\"started\",\"remediationId\":11,\"rule\":\"restart-api\","
        + "\"target\":\"deployer\"}";
    assertThat(event.canonical()).isEqualTo(expected);
    assertThat(event.canonical().getBytes(StandardCharsets.UTF_8)).hasSize(expected.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void systemEventsCarryNullsExplicitly() {
    AuditEvent event = AuditEvent.system(Instant.parse("2026-11-22T10:00:00Z"), AuditEvent.Kind.RULES_RELOADED,
        "operator@127.0.0.1", "loaded", Map.of());

    assertThat(event.canonical()).isEqualTo("{\"action\":null,\"actor\":\"operator@127.0.0.1\",\"alertId\":null,"
        + "\"alertname\":null,\"at\":\"2026-11-22T10:00:00Z\",\"detail\":{},\"fingerprint\":null,"
        + "\"kind\":\"rules_reloaded\",\"notificationId\":null,\"outcome\":\"loaded\",\"remediationId\":null,"
        + "\"rule\":null,\"target\":null}");
  }

  @Test
  void factoriesFillTheReferencesOfWhatTheStepIsAbout() {
    AuditEvent received = AuditEvent.forNotification(AT, AuditEvent.Kind.RECEIVED, "alertmanager@127.0.0.1", 3,
        ALERT.alert(), "firing", Map.of());
    AuditEvent unmatched = AuditEvent.forAlert(AT, AuditEvent.Kind.UNMATCHED, "remediator", ALERT, "no_rule", Map.of());
    AuditEvent swept = AuditEvent.forRemediation(AT, AuditEvent.Kind.INTERRUPTED, "host/1", null,
        new RemediationRef(11, "restart-api", "command", "deployer"), "interrupted", Map.of());

    assertThat(received.notificationId()).isEqualTo(3);
    assertThat(received.alertId()).isNull();
    assertThat(received.fingerprint()).isEqualTo("0000000000000001");
    assertThat(unmatched.alertId()).isEqualTo(7);
    assertThat(unmatched.rule()).isNull();
    assertThat(swept.remediationId()).isEqualTo(11);
    assertThat(swept.fingerprint()).isNull();
    assertThat(swept.withRemediation(12).remediationId()).isEqualTo(12);
    assertThat(received.at()).isEqualTo(Instant.parse("2026-11-22T10:00:00.123456Z"));
  }
}
