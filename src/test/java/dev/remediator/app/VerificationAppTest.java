package dev.remediator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.PrometheusProcess;
import dev.remediator.testing.RunningApp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The PromQL guard and verification as the server wires them, against a real Prometheus that
 * scrapes the server's own {@code /metrics}: a rule guarded by a query acts, and its action is
 * verified by a query over the action counter Prometheus scraped afterwards. The server's clock
 * is moved past the first poll instead of waiting for it.
 */
class VerificationAppTest {
  private static final String SUCCEEDED = "sum(remediator_actions_total{outcome=\"succeeded\"})";
  private static final String RULES = """
      targets:
        deployer: {kind: command}
      rules:
        - name: restart-api
          match: ['alertname="Load"']
          action: command
          target: deployer
          with: {argv: ["/bin/true"]}
          guard: {promql: 'vector(1)', expect: '== 1'}
          verify: {promql: '%s', expect: '>= 1', within: 2m}
      """.formatted(SUCCEEDED);
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** {@code config} listening on {@code port} and asking {@code prometheusUrl}. */
  private static ServeConfig on(ServeConfig config, int port, String prometheusUrl, MutableClock clock) {
    return config.withPort(port).withClock(clock).withPrometheusUrl(Optional.of(prometheusUrl));
  }

  @Test
  void aGuardedRuleActsAndIsVerifiedByWhatPrometheusScrapedFromTheServer() throws Exception {
    int port = freePort();
    MutableClock clock = MutableClock.at(Instant.now());
    try (PrometheusProcess prometheus = PrometheusProcess.start("""
            global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1m}
            scrape_configs:
              - job_name: remediator
                static_configs:
                  - targets: ['127.0.0.1:%d']
            """.formatted(port), Map.of());
         RunningApp app = RunningApp.start(dir, RULES, Optional.empty(), Optional.empty(), Optional.empty(), false,
             Map.of(), config -> on(config, port, prometheus.url().toString(), clock))) {
      assertThat(app.post("/webhook", LifecycleAppTest.alert("f1"), "application/json", null).status())
          .isEqualTo(200);

      await().atMost(WAIT).untilAsserted(() ->
          assertThat(app.rows("select state from remediation")).containsExactly("succeeded"));
      assertThat(app.rows("select outcome, detail from audit_event where kind = 'guard'"
          + " and detail like '%\"guard\":\"promql\"%'"))
          .containsExactly("pass | {\"guard\":\"promql\",\"reason\":\"guard vector(1) = 1, meets == 1\"}");
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(prometheus.get("/api/v1/query?query=" + URLEncoder.encode(SUCCEEDED, StandardCharsets.UTF_8)))
              .as("Prometheus has scraped the succeeded action").contains(",\"1\"]"));

      clock.advance(Duration.ofSeconds(16));

      await().atMost(WAIT).untilAsserted(() ->
          assertThat(app.rows("select verification from remediation")).containsExactly("verified"));
      assertThat(app.rows("select kind, outcome, detail from audit_event where kind = 'verified'"))
          .singleElement().asString().startsWith("verified | verified | ")
          .contains("\"seen\":\"" + SUCCEEDED.replace("\"", "\\\"") + " = 1 (expected >= 1)\"");
      assertThat(app.get("/metrics").body())
          .contains("remediator_verifications_total{outcome=\"verified\",rule=\"restart-api\"} 1.0");
    }
  }

  @Test
  void rulesAskingPrometheusWithoutAUrlAreNamedInAWarningAtStart() {
    Logger appLog = (Logger) LoggerFactory.getLogger(RemediatorApp.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    appLog.addAppender(logs);
    try (RunningApp app = RunningApp.start(dir, RULES, Optional.empty(), Optional.empty(), Optional.empty(), false,
        Map.of())) {
      assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
          .contains("REMEDIATOR_PROMETHEUS_URL is not set, but rules [restart-api] use a promql guard or verification:"
              + " they will skip (guard) or end not_verified (verify) until it is set");
    } finally {
      appLog.detachAppender(logs);
    }
  }
}
