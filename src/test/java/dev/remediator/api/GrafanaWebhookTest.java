package dev.remediator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.intake.GrafanaSignature;
import dev.remediator.testing.RunningApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grafana's webhook contact point as a second source: its payload is accepted, and its HMAC signature checked. */
class GrafanaWebhookTest {
  private static final String SECRET = "grafana-shared-secret";
  /** A Grafana 11/12 webhook contact point body, with its own fields beside Alertmanager's. */
  private static final String GRAFANA = """
      {"receiver":"remediator","status":"firing","orgId":1,"alerts":[{"status":"firing",
       "labels":{"alertname":"HighErrorRate","grafana_folder":"api","service":"api","namespace":"prod"},
       "annotations":{"summary":"5xx above 5%"},"startsAt":"2026-11-24T06:00:00Z","endsAt":"0001-01-01T00:00:00Z",
       "generatorURL":"https://grafana.example/alerting/grafana/abc/view","fingerprint":"9f3b2c1d0e4a5b6c",
       "silenceURL":"https://grafana.example/alerting/silence/new","dashboardURL":"","panelURL":"",
       "values":{"B":0.07,"C":1},"valueString":"[ var='B' labels={} value=0.07 ]"}],
       "groupLabels":{"alertname":"HighErrorRate"},"commonLabels":{"alertname":"HighErrorRate"},
       "commonAnnotations":{},"externalURL":"https://grafana.example/","version":"1",
       "groupKey":"{}:{alertname=\\"HighErrorRate\\"}","truncatedAlerts":0,"title":"[FIRING:1] HighErrorRate",
       "state":"alerting","message":"**Firing** HighErrorRate"}""";

  @TempDir
  Path dir;

  private RunningApp app;

  @BeforeEach
  void start() {
    app = RunningApp.start(dir, "rules: []\n", Optional.empty(), Optional.empty(), Optional.empty(), true, Map.of(),
        config -> config.withGrafanaHmacSecret(Optional.of(SECRET)));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  private static String sign(String timestamp, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((timestamp + ":").getBytes(StandardCharsets.US_ASCII));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  private RunningApp.Answer post(byte[] body, String signature, String timestamp) {
    java.util.Map<String, String> headers = new java.util.HashMap<>();
    if (signature != null) {
      headers.put(GrafanaSignature.SIGNATURE_HEADER, signature);
    }
    if (timestamp != null) {
      headers.put(GrafanaSignature.TIMESTAMP_HEADER, timestamp);
    }
    return app.post("/webhook", body, headers);
  }

  @Test
  void aSignedGrafanaPayloadIsStoredWithItsExtraFieldsTolerated() throws Exception {
    byte[] body = GRAFANA.getBytes(StandardCharsets.UTF_8);
    String now = String.valueOf(Instant.now().getEpochSecond());

    RunningApp.Answer answer = post(body, sign(now, body), now);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).contains("\"alerts\":{\"total\":1,\"new\":1,\"duplicate\":0}");
    assertThat(app.rows("select alertname, fingerprint from alert")).containsExactly("HighErrorRate | 9f3b2c1d0e4a5b6c");
  }

  @Test
  void aGrafanaPayloadWithoutAValidFreshSignatureIsRefusedAndNotStored() throws Exception {
    byte[] body = GRAFANA.getBytes(StandardCharsets.UTF_8);
    String now = String.valueOf(Instant.now().getEpochSecond());
    String stale = String.valueOf(Instant.now().minusSeconds(3600).getEpochSecond());
    byte[] other = GRAFANA.replace("HighErrorRate", "APIDown").getBytes(StandardCharsets.UTF_8);

    assertThat(post(body, null, null).body()).contains("X-Grafana-Alerting-Signature header is missing");
    assertThat(post(body, sign(now, body), null).body()).contains("X-Grafana-Alerting-Signature-Timestamp");
    assertThat(post(other, sign(now, body), now).body()).contains("does not match the body");
    assertThat(post(body, sign(stale, body), stale).body()).contains("stale or replayed");
    assertThat(post(body, sign(now, body), stale).status()).isEqualTo(401);
    assertThat(post(body, null, null).status()).isEqualTo(401);
    assertThat(app.rows("select count(*) from alert")).containsExactly("0");
  }

  @Test
  void alertmanagerPayloadsNeedNoGrafanaSignature() {
    byte[] body = GRAFANA.replace("\"version\":\"1\"", "\"version\":\"4\"").getBytes(StandardCharsets.UTF_8);

    assertThat(post(body, null, null).status()).isEqualTo(200);
  }
}
