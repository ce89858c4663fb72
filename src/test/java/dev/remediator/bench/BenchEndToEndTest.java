package dev.remediator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.cli.Main;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code remediator bench} against the real server on the real PostgreSQL, with the store read and
 * the reference endpoints, for about a second of load each. Asserts what the report holds, never
 * how fast anything was.
 */
class BenchEndToEndTest {
  @RegisterExtension
  static final TestDatabase POSTGRES = new TestDatabase();
  static final String TOKEN = "bench-token";
  /** One rule that acts (a harmless command), so that actions start; the other kinds are decided unmatched. */
  static final String RULES = """
      targets:
        local: {kind: command}
      rules:
        - name: acknowledge-high-error-rate
          match: ['alertname="HighErrorRate"']
          action: command
          target: local
          with: {argv: ["true"], timeout: 10s}
      """;

  @TempDir
  Path dir;
  RunningApp app;

  @BeforeEach
  void start() {
    app = RunningApp.start(dir, RULES, Optional.of(POSTGRES.storeUrl()), Optional.of(TOKEN), Optional.empty(), false,
        Map.of());
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void openModelRunReportsLoadDecisionsAndReferenceRatiosAsJson() throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int status = Main.commandLine(Map.of()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(
        "bench", "--url", app.url("/webhook"), "--token-file", tokenFile.toString(), "--rate", "50",
        "--duration", "1s", "--warmup", "0", "--alerts-per-notification", "2", "--settle", "30s",
        "--database-url", POSTGRES.storeUrl(), "--reference", "--json");

    assertThat(status).as(err.toString()).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.fieldNames()).toIterable().containsExactly("runId", "settings", "remediator", "store",
        "reference");
    assertThat(report.at("/settings/model").asText()).isEqualTo("open");
    assertThat(report.at("/settings/rate").asDouble()).isEqualTo(50.0);

    JsonNode remediator = report.get("remediator");
    long acknowledged = remediator.at("/notifications/acknowledged").asLong();
    assertThat(acknowledged).isPositive().isEqualTo(remediator.at("/notifications/sent").asLong());
    assertThat(remediator.at("/alerts/acknowledged").asLong()).isEqualTo(2 * acknowledged);
    assertThat(remediator.at("/notifications/perSecond").asDouble()).isPositive();
    assertThat(remediator.at("/ackLatencyMs/count").asLong()).isEqualTo(acknowledged);
    assertThat(remediator.at("/ackLatencyMs/p50").asDouble()).isPositive();
    assertThat(remediator.at("/ackLatencyMs/max").asDouble())
        .isGreaterThanOrEqualTo(remediator.at("/ackLatencyMs/p99").asDouble());
    assertThat(remediator.at("/errors/total").asLong()).isZero();

    JsonNode store = report.get("store");
    assertThat(store.get("fingerprintPrefix").asText()).isEqualTo(report.get("runId").asText());
    assertThat(store.get("alertsStored").asLong()).isEqualTo(2 * acknowledged);
    assertThat(store.get("decided").asLong()).isEqualTo(2 * acknowledged);
    assertThat(store.get("notDecided").asLong()).isZero();
    assertThat(store.get("decideFailed").asLong()).isZero();
    assertThat(store.at("/alertToDecisionMs/count").asLong()).isEqualTo(2 * acknowledged);
    assertThat(store.at("/alertToDecisionMs/p50").asDouble()).isPositive();
    assertThat(store.at("/alertToActionStartMs/count").asLong()).isPositive();
    assertThat(store.get("actionsNotStarted").asLong()).isZero();
    assertThat(store.get("allDecidedAfterSeconds").isNumber()).isTrue();

    JsonNode reference = report.get("reference");
    for (String endpoint : List.of("naiveInsert", "bare")) {
      assertThat(reference.at("/" + endpoint + "/notifications/acknowledged").asLong()).as(endpoint).isPositive();
      assertThat(reference.at("/" + endpoint + "/errors/total").asLong()).as(endpoint).isZero();
      assertThat(reference.at("/ratios/remediatorTo" + Character.toUpperCase(endpoint.charAt(0))
          + endpoint.substring(1)).asDouble()).as(endpoint).isPositive();
    }

    assertThat(app.rows("select count(*) from alert where fingerprint like ?", report.get("runId").asText() + "%"))
        .containsExactly(String.valueOf(2 * acknowledged));
    assertThat(app.rows("select count(*) from information_schema.tables where table_name = 'bench_naive_alert'"))
        .containsExactly("0");
  }

  @Test
  void closedModelRunPrintsATableWithTheStoreSection() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int status = Main.commandLine(Map.of()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(
        "bench", "--url", app.url("/webhook"), "--token", TOKEN, "--connections", "2", "--duration", "1s",
        "--warmup", "0", "--distinct", "10", "--database-url", POSTGRES.storeUrl());

    assertThat(status).as(err.toString()).isZero();
    assertThat(out.toString()).contains("closed model, 2 connections", "fingerprints from a pool of 10",
        "notifications/s", "ack latency ms  p50", "alert to decision ms", "all decided");
    assertThat(out.toString()).doesNotContain("remediator / ");
    assertThat(app.rows("select count(distinct fingerprint) <= 10 from alert where fingerprint like ?",
        out.toString().substring("remediator bench, run ".length(), "remediator bench, run ".length() + 8) + "%"))
        .containsExactly("t");
  }

  @Test
  void aWrongTokenIsReportedAs401sAndTheRunStillCompletes() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int status = Main.commandLine(Map.of()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(
        "bench", "--url", app.url("/webhook"), "--token", "wrong", "--rate", "20", "--duration", "1s",
        "--warmup", "0", "--json");

    assertThat(status).as(err.toString()).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toString());
    long sent = report.at("/remediator/notifications/sent").asLong();
    assertThat(sent).isPositive();
    assertThat(report.at("/remediator/errors/byStatus/401").asLong()).isEqualTo(sent);
    assertThat(report.at("/remediator/notifications/acknowledged").asLong()).isZero();
    assertThat(report.get("store").isNull()).isTrue();
    assertThat(report.get("reference").isNull()).isTrue();
  }
}
