package dev.remediator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.testing.MutableClock;
import dev.remediator.testing.RunningApp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code remediator replay} against a running server. */
class ReplayCommandTest {
  private static final String RULES = """
      targets:
        host: {kind: command}
      rules:
        - name: rollback-api
          match: ['alertname="ErrorBudgetBurn"']
          action: command
          target: host
          with: {argv: ["/bin/true", "{{ labels.service }}"]}
          allow: {service: "[a-z0-9-]{1,63}"}
          approval: required
      """;
  private static final String PAYLOAD = """
      {"version":"4","groupKey":"g","truncatedAlerts":0,"status":"firing","receiver":"remediator",
       "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"",
       "alerts":[{"status":"firing","labels":{"alertname":"ErrorBudgetBurn","service":"api"},"annotations":{},
       "startsAt":"2026-11-22T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"fp-1"}]}""";
  private static final String SUBJECT = "ErrorBudgetBurn fp-1 firing since 2026-11-22T10:00:00Z rollback-api: ";
  private static final String NL = System.lineSeparator();

  @TempDir
  Path dir;
  private RunningApp app;
  private Path file;

  @BeforeEach
  void start() throws IOException {
    app = RunningApp.start(dir, RULES, Optional.empty(), Optional.of("hook-token"), Optional.of("operator-token"),
        false, Map.of(), config -> config.withClock(MutableClock.at("2026-11-22T10:05:00Z")));
    file = Files.writeString(dir.resolve("payload.json"), PAYLOAD);
  }

  @AfterEach
  void stop() {
    app.close();
  }

  private record Run(int status, String out, String err) {}

  private static Run run(Map<String, String> env, String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new ReplayCommand(env,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
    int status = command.setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  private Run replay(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "--url";
    all[1] = app.url("");
    all[2] = "--token";
    all[3] = "operator-token";
    System.arraycopy(args, 0, all, 4, args.length);
    return run(Map.of(), "", all);
  }

  @Test
  void aFileIsReplayedAndEachAlertAndRuleGetsOneLine() {
    Run first = replay(file.toString());

    assertThat(first.status()).isZero();
    assertThat(first.err()).isEmpty();
    assertThat(first.out()).isEqualTo("replayed as notification 1 by operator@127.0.0.1" + NL
        + SUBJECT + "awaiting_approval remediation 1 by approval: rule rollback-api requires approval" + NL);

    Run again = replay(file.toString());
    assertThat(again.out()).isEqualTo("replayed as notification 2 by operator@127.0.0.1" + NL
        + SUBJECT + "already_ran remediation 1 (awaiting_approval): remediation 1 already decided this occurrence "
        + "(awaiting_approval); force with a reason to decide it again" + NL);

    Run forced = replay("--force", "--reason", "approver was away", file.toString());
    assertThat(forced.status()).isZero();
    assertThat(forced.out()).isEqualTo("replayed as notification 3 by operator@127.0.0.1 (forced)" + NL
        + SUBJECT + "awaiting_approval remediation 2, deciding again remediation 1 by approval: rule rollback-api "
        + "requires approval" + NL);
    assertThat(app.rows("select detail from audit_event where kind = 'replayed'").get(0))
        .contains("\"reason\":\"approver was away\"");
  }

  @Test
  void standardInputIsReplayedAsADryRunWithTheTokenFromTheEnvironment() {
    Run dry = run(Map.of("REMEDIATOR_OPERATOR_TOKEN", "operator-token"), PAYLOAD, "--url", app.url(""), "--dry-run",
        "-");

    assertThat(dry.status()).isZero();
    assertThat(dry.out()).isEqualTo("dry run by operator@127.0.0.1: nothing stored, decided or run" + NL
        + SUBJECT + "awaiting_approval by approval: rule rollback-api requires approval [paused=pass dry_run=pass "
        + "cooldown=pass rate_limit=pass max_fraction=pass breaker=pass allowlist=pass approval=await_approval promql=pass] "
        + "params {\"argv\":[\"/bin/true\",\"api\"]}" + NL);
    assertThat(app.rows("select count(*) from notification")).containsExactly("0");
  }

  @Test
  void forceWithoutAReasonIsExit2AndSendsNothing() {
    Run noReason = replay("--force", file.toString());
    Run reasonAlone = replay("--reason", "why", file.toString());
    Run missingFile = replay(dir.resolve("absent.json").toString());

    assertThat(noReason.status()).isEqualTo(2);
    assertThat(noReason.err()).isEqualTo("remediator replay: --force needs --reason: say why the occurrence is "
        + "decided again" + NL);
    assertThat(reasonAlone.status()).isEqualTo(2);
    assertThat(missingFile.status()).isEqualTo(2);
    assertThat(missingFile.err()).startsWith("remediator replay: cannot read " + dir.resolve("absent.json"));
    assertThat(app.rows("select count(*) from notification")).containsExactly("0");
  }

  @Test
  void whatTheServerRefusesIsExit1WithItsError() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"hello\": 1}");

    Run refused = replay(bad.toString());
    Run wrongToken = run(Map.of(), "", "--url", app.url(""), "--token", "hook-token", file.toString());

    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err()).isEqualTo("remediator replay: /api/v1/replay answered 400: body must be an "
        + "Alertmanager payload (with alerts), one alert (with labels) or {\"notificationId\": N}" + NL);
    assertThat(wrongToken.status()).isEqualTo(1);
    assertThat(wrongToken.err()).startsWith("remediator replay: the credential lacks the operator role (403: ");
  }

  @Test
  void theCommandIsPartOfTheCommandLine() {
    StringWriter out = new StringWriter();
    int status = Main.commandLine(Map.of()).setOut(new PrintWriter(out)).execute("replay", "--help");

    assertThat(status).isZero();
    assertThat(out.toString()).contains("--dry-run", "--force", "--reason", "--token-file", "FILE|-");
  }
}
