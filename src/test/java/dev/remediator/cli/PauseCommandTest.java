package dev.remediator.cli;

import static dev.remediator.testing.RunningApp.OPERATOR_TOKEN;
import static dev.remediator.testing.RunningApp.WEBHOOK_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.testing.RunningApp;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code remediator pause} and {@code resume} against a running server. */
class PauseCommandTest {
  private static final String RULES = """
      targets:
        host: {kind: command}
      rules: []
      """;

  @TempDir
  Path dir;
  private RunningApp app;

  @BeforeEach
  void start() {
    app = RunningApp.withTokens(dir, RULES);
  }

  @AfterEach
  void stop() {
    app.close();
  }

  /** A command's exit status and what it printed. */
  private record Run(int status, String out, String err) {}

  private static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.commandLine(env).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void pauseAndResumePrintOneLineEachAndChangeTheServer() {
    Run paused = run(Map.of(), "pause", "--url", app.url(""), "--token", OPERATOR_TOKEN, "--reason",
        "deploy freeze", "--for", "1h");

    assertThat(paused.status()).isZero();
    assertThat(paused.out()).matches("paused by operator@127\\.0\\.0\\.1 until \\S+Z: deploy freeze\\R");
    assertThat(paused.err()).isEmpty();
    assertThat(app.rows("select reason, actor from pause")).containsExactly("deploy freeze | operator@127.0.0.1");

    Run resumed = run(Map.of("REMEDIATOR_OPERATOR_TOKEN", OPERATOR_TOKEN), "resume", "--url", app.url(""));

    assertThat(resumed.status()).isZero();
    assertThat(resumed.out()).isEqualTo("resumed; it was paused by operator@127.0.0.1: deploy freeze"
        + System.lineSeparator());
    assertThat(app.rows("select count(*) from pause")).containsExactly("0");
    assertThat(run(Map.of("REMEDIATOR_OPERATOR_TOKEN", OPERATOR_TOKEN), "resume", "--url", app.url("")).out())
        .isEqualTo("not paused; nothing to resume" + System.lineSeparator());
  }

  @Test
  void theTokenMayComeFromAFileAndAPauseWithoutForLastsUntilResumed() throws IOException {
    Path token = Files.writeString(dir.resolve("token"), OPERATOR_TOKEN + "\n");

    Run paused = run(Map.of(), "pause", "--url", app.url(""), "--token-file", token.toString(), "--reason", "incident");

    assertThat(paused.status()).isZero();
    assertThat(paused.out()).isEqualTo("paused by operator@127.0.0.1 until resumed: incident" + System.lineSeparator());
  }

  @Test
  void aWrongOrMissingTokenIsExit1WithTheReasonAndChangesNothing() {
    Run wrong = run(Map.of(), "pause", "--url", app.url(""), "--token", "guess", "--reason", "x");
    Run missing = run(Map.of(), "resume", "--url", app.url(""));
    Run webhook = run(Map.of(), "pause", "--url", app.url(""), "--token", WEBHOOK_TOKEN, "--reason", "x");

    assertThat(wrong.status()).isEqualTo(1);
    assertThat(wrong.out()).isEmpty();
    assertThat(wrong.err()).isEqualTo("remediator pause: the server refused the credential (401: missing or wrong "
        + "operator credentials); give the operator token with --token, --token-file or REMEDIATOR_OPERATOR_TOKEN"
        + System.lineSeparator());
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err()).startsWith("remediator resume: the server refused the credential (401: ");
    assertThat(webhook.status()).isEqualTo(1);
    assertThat(webhook.err()).isEqualTo("remediator pause: the credential lacks the operator role (403: this "
        + "credential does not grant access to /api/v1/pause); give the operator token, not the webhook token"
        + System.lineSeparator());
    assertThat(app.rows("select count(*) from pause")).containsExactly("0");
  }

  @Test
  void aServerThatIsNotThereIsExit1SayingSo() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }

    Run refused = run(Map.of(), "pause", "--url", "http://127.0.0.1:" + port, "--token", "t", "--reason", "x");

    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err()).isEqualTo("remediator pause: cannot connect to http://127.0.0.1:" + port
        + "/: connection refused (is remediator serving there? give its address with --url)" + System.lineSeparator());
  }

  @Test
  void badFlagsAreExit2NamingTheFlag() {
    Run badDuration = run(Map.of(), "pause", "--url", app.url(""), "--token", OPERATOR_TOKEN, "--reason", "x",
        "--for", "soon");
    Run noReason = run(Map.of(), "pause", "--url", app.url(""), "--token", OPERATOR_TOKEN);

    assertThat(badDuration.status()).isEqualTo(2);
    assertThat(badDuration.err()).isEqualTo("remediator pause: --for: not a valid duration string: \"soon\" "
        + "(use e.g. 90s, 15m, 1h30m)" + System.lineSeparator());
    assertThat(noReason.status()).isEqualTo(2);
    assertThat(noReason.err()).contains("Missing required option: '--reason=<reason>'");
    assertThat(app.rows("select count(*) from pause")).containsExactly("0");
  }
}
