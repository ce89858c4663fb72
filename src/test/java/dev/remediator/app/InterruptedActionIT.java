package dev.remediator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.remediator.store.Database;
import dev.remediator.testing.Rows;
import dev.remediator.testing.ServerProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL while its action runs: the restart finds the remediation still
 * running, marks it interrupted, never runs it again, and (the rule's default
 * {@code on_interrupt: escalate}) sends the escalation to the Slack webhook, from the outbox
 * written in the same transaction as the interruption.
 */
class InterruptedActionIT {
  private static final String PAYLOAD = """
      {"version": "4", "groupKey": "{}:{alertname=\\"SlowFix\\"}", "truncatedAlerts": 0, "status": "firing",
       "receiver": "remediator", "groupLabels": {"alertname": "SlowFix"}, "commonLabels": {"alertname": "SlowFix"},
       "commonAnnotations": {}, "externalURL": "http://alertmanager:9093",
       "alerts": [{"status": "firing", "labels": {"alertname": "SlowFix"}, "annotations": {},
                   "startsAt": "2026-11-22T10:00:00.000Z", "endsAt": "0001-01-01T00:00:00Z",
                   "generatorURL": "http://prometheus:9090/graph", "fingerprint": "5eed5eed5eed5eed"}]}
      """;

  @TempDir
  Path dir;

  @Test
  void actionCutOffByKillDashNineIsInterruptedAndEscalatedOnRestart() throws Exception {
    try (MockWebServer slack = new MockWebServer()) {
      slack.enqueue(new MockResponse().setResponseCode(200).setBody("ok"));
      slack.start();
      Path rules = Files.writeString(dir.resolve("remediation.yml"), """
          targets:
            slow: {kind: command}
            oncall: {kind: webhook, url: "%s", format: slack}
          escalate_to: oncall
          rules:
            - name: slow-fix
              match: ['alertname="SlowFix"']
              action: command
              target: slow
              with: {argv: ["/bin/sleep", "45"], timeout: 50s}
          """.formatted(slack.url("/hook")));
      ServerProcess.Builder server = ServerProcess.builder(dir).env("REMEDIATOR_RULES", rules.toString());

      List<ProcessHandle> orphans;
      try (ServerProcess first = server.start()) {
        HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(first.url("/webhook"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(PAYLOAD)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        ProcessHandle jvm = ProcessHandle.of(first.pid()).orElseThrow();
        await("the action's process runs").atMost(Duration.ofSeconds(20))
            .until(() -> jvm.descendants().anyMatch(InterruptedActionIT::isSleep));
        orphans = jvm.descendants().filter(InterruptedActionIT::isSleep).toList();
        first.kill();
      }
      // The command outlives the killed JVM; end the ones this test started.
      orphans.forEach(ProcessHandle::destroyForcibly);

      try (ServerProcess second = server.start()) {
        RecordedRequest escalation = slack.takeRequest(30, TimeUnit.SECONDS);
        assertThat(escalation).as("an escalation reached the webhook; log tail:\n%s", second.logTail()).isNotNull();
        assertThat(escalation.getBody().readUtf8()).contains("slow-fix", "interrupted");
        assertThat(second.stop()).isIn(0, 143);
      }
      try (Database store = Database.open(Database.sqliteUrl(dir.resolve(Database.DEFAULT_FILE).toAbsolutePath()), 1)) {
        assertThat(Rows.of(store, "select state, attempts from remediation")).containsExactly("interrupted | 1");
        List<String> kinds = Rows.of(store, "select kind from audit_event order by id");
        assertThat(kinds).containsSubsequence("started", "interrupted", "escalated");
        assertThat(kinds).as("never run again").containsOnlyOnce("started");
        assertThat(Rows.of(store, "select detail from audit_event where kind = 'interrupted'")).singleElement()
            .asString().contains("\"onInterrupt\":\"escalate\"", "\"escalateTo\":\"oncall\"");
      }
      assertThat(slack.getRequestCount()).isEqualTo(1);
    }
  }

  private static boolean isSleep(ProcessHandle process) {
    return process.info().command().map(command -> command.endsWith("sleep")).orElse(false);
  }
}
