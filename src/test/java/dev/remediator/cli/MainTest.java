package dev.remediator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
  @TempDir
  Path dir;

  @Test
  void noCommandListsTheCommandsAndExits2() {
    StringWriter err = new StringWriter();
    int status = Main.commandLine(Map.of()).setErr(new PrintWriter(err)).execute();

    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).startsWith("remediator: a command is required").contains("serve", "check");
  }

  @Test
  void serveHelpListsEveryFlagAndEveryVariable() {
    StringWriter out = new StringWriter();
    int status = Main.commandLine(Map.of()).setOut(new PrintWriter(out)).execute("serve", "--help");

    assertThat(status).isZero();
    assertThat(out.toString()).contains("--listen", "--rules", "--database-url", "--webhook-token-file",
        "--viewer-token-file", "--operator-token-file", "--dry-run", "--workers", "--shutdown-grace", "--retention",
        "--external-url",
        "--audit-retention", "--audit-key-file", "--prometheus-url");
    for (String variable : ServeCommand.KNOWN_VARIABLES) {
      assertThat(out.toString()).contains(variable);
    }
  }

  @Test
  void checkHelpSaysWhichEnvironmentItReads() {
    StringWriter out = new StringWriter();
    Main.commandLine(Map.of()).setOut(new PrintWriter(out)).execute("check", "--help");

    assertThat(out.toString()).contains("FILE", "--help", "Environment:", "variable the rules file interpolates");
  }

  private ServeCommand serve(Map<String, String> env, String... args) {
    CommandLine commandLine = Main.commandLine(env);
    commandLine.parseArgs(args);
    return (ServeCommand) commandLine.getSubcommands().get("serve").getCommand();
  }

  @Test
  void theDatabaseUrlMayComeFromAFile() throws Exception {
    Path file = Files.writeString(dir.resolve("url"), "jdbc:postgresql://db/remediator?password=s3cret\n");

    ServeCommand serve = serve(Map.of("REMEDIATOR_DATABASE_URL_FILE", file.toString()), "serve");

    assertThat(serve.config().databaseUrl()).contains("jdbc:postgresql://db/remediator?password=s3cret");
  }

  @Test
  void theViewerTokenComesFromItsVariableItsFileOrItsFlag() throws Exception {
    Path file = Files.writeString(dir.resolve("viewer"), "from-file\n");

    assertThat(serve(Map.of("REMEDIATOR_VIEWER_TOKEN", "from-env"), "serve").config().viewerToken())
        .contains("from-env");
    assertThat(serve(Map.of("REMEDIATOR_VIEWER_TOKEN_FILE", file.toString()), "serve").config().viewerToken())
        .contains("from-file");
    assertThat(serve(Map.of(), "serve", "--viewer-token-file", file.toString()).config().viewerToken())
        .contains("from-file");
    assertThat(serve(Map.of(), "serve").config().viewerToken()).isEmpty();
  }

  @Test
  void variablesDefaultTheFlagsAndFlagsWin() {
    Map<String, String> env = Map.of("REMEDIATOR_SHUTDOWN_GRACE", "40s", "REMEDIATOR_RETENTION", "7d",
        "REMEDIATOR_WORKERS", "3", "REMEDIATOR_LISTEN", "127.0.0.1:9999", "REMEDIATOR_AUDIT_RETENTION", "180d");

    assertThat(serve(env, "serve").config()).satisfies(config -> {
      assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(40));
      assertThat(config.retention()).isEqualTo(Duration.ofDays(7));
      assertThat(config.auditRetention()).isEqualTo(Duration.ofDays(180));
      assertThat(config.auditKey()).isEmpty();
      assertThat(config.workers()).isEqualTo(3);
      assertThat(config.port()).isEqualTo(9999);
      assertThat(config.databaseUrl()).isEqualTo(Optional.empty());
    });
    assertThat(serve(env, "serve", "--shutdown-grace", "5s").config().shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void defaultsAreA25sGraceAnd30dRetention() {
    assertThat(serve(Map.of(), "serve").config()).satisfies(config -> {
      assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(25));
      assertThat(config.retention()).isEqualTo(Duration.ofDays(30));
      assertThat(config.auditRetention()).as("runbook 004 keeps audit logs 90 days").isEqualTo(Duration.ofDays(90));
    });
  }

  @Test
  void theAuditKeyMayComeFromTheVariableItsFileOrTheFlag() throws Exception {
    Path file = Files.writeString(dir.resolve("audit.key"), "from-file\n");

    assertThat(serve(Map.of("REMEDIATOR_AUDIT_KEY", "from-env"), "serve").config().auditKey()).contains("from-env");
    assertThat(serve(Map.of("REMEDIATOR_AUDIT_KEY_FILE", file.toString()), "serve").config().auditKey())
        .contains("from-file");
    assertThat(serve(Map.of(), "serve", "--audit-key-file", file.toString()).config().auditKey()).contains("from-file");
  }

  @Test
  void aBadGraceIsOneLineAndExit2() {
    StringWriter err = new StringWriter();
    int status = Main.commandLine(Map.of("REMEDIATOR_SHUTDOWN_GRACE", "soon")).setErr(new PrintWriter(err))
        .execute("serve");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("remediator: --shutdown-grace (REMEDIATOR_SHUTDOWN_GRACE): not a valid "
        + "duration string: \"soon\" (use e.g. 90s, 15m, 1h30m)" + System.lineSeparator());
  }

  @Test
  void theAlertmanagerUrlComesFromItsVariableOrFlagAndAnythingButHttpIsOneLineAndExit2() {
    assertThat(serve(Map.of(), "serve").config().alertmanagerUrl()).isEmpty();
    assertThat(serve(Map.of("REMEDIATOR_ALERTMANAGER_URL", "http://alertmanager:9093"), "serve").config()
        .alertmanagerUrl()).contains(URI.create("http://alertmanager:9093"));
    assertThat(serve(Map.of("REMEDIATOR_ALERTMANAGER_URL", "http://alertmanager:9093"), "serve",
        "--alertmanager-url", "https://am.example/alertmanager").config().alertmanagerUrl())
        .contains(URI.create("https://am.example/alertmanager"));

    StringWriter err = new StringWriter();
    int status = Main.commandLine(Map.of("REMEDIATOR_ALERTMANAGER_URL", "alertmanager:9093"))
        .setErr(new PrintWriter(err)).execute("serve");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("remediator: REMEDIATOR_ALERTMANAGER_URL must be an http or https URL with a"
        + " host, like http://alertmanager:9093, without credentials, query or fragment, but was \"alertmanager:9093\""
        + System.lineSeparator());
  }

  @Test
  void theExternalUrlComesFromItsVariableWithoutATrailingSlashAndIsOptional() {
    assertThat(serve(Map.of("REMEDIATOR_EXTERNAL_URL", "https://remediator.example.com/"), "serve").config()
        .externalUrl()).contains("https://remediator.example.com");
    assertThat(serve(Map.of(), "serve", "--external-url", "http://10.0.0.5:9095/remediator").config().externalUrl())
        .contains("http://10.0.0.5:9095/remediator");
    assertThat(serve(Map.of(), "serve").config().externalUrl()).isEmpty();
  }

  @Test
  void anExternalUrlThatIsNotHttpIsOneLineAndExit2() {
    StringWriter err = new StringWriter();
    int status = Main.commandLine(Map.of("REMEDIATOR_EXTERNAL_URL", "ftp://ops:pw@files")).setErr(new PrintWriter(err))
        .execute("serve");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("remediator: REMEDIATOR_EXTERNAL_URL must be an http or https URL with a host,"
        + " like https://remediator.example.com, without credentials, query or fragment, but was"
        + " \"ftp://ops:***@files\"" + System.lineSeparator());
  }

  @Test
  void thePrometheusUrlComesFromItsVariableOrFlagAndIsNoneByDefault() {
    assertThat(serve(Map.of(), "serve").config().prometheusUrl()).isEmpty();
    assertThat(serve(Map.of("REMEDIATOR_PROMETHEUS_URL", "http://prometheus:9090"), "serve").config().prometheusUrl())
        .contains("http://prometheus:9090");
    assertThat(serve(Map.of("REMEDIATOR_PROMETHEUS_URL", "http://prometheus:9090"), "serve",
        "--prometheus-url", "https://thanos.example.com/prom").config().prometheusUrl())
        .contains("https://thanos.example.com/prom");
  }

  @Test
  void aPrometheusUrlThatIsNotOneIsOneLineAndExit2() {
    StringWriter err = new StringWriter();
    int status = Main.commandLine(Map.of("REMEDIATOR_PROMETHEUS_URL", "prometheus:9090")).setErr(new PrintWriter(err))
        .execute("serve");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("remediator: REMEDIATOR_PROMETHEUS_URL must be an http or https URL with a host,"
        + " like http://prometheus:9090, without query or fragment, but was \"prometheus:9090\""
        + System.lineSeparator());
  }
}
