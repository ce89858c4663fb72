package dev.remediator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.action.catalog.ActionCatalog;
import dev.remediator.rules.TestCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckCommandTest {
  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void validFilePrintsASummaryAndExitsZero() throws Exception {
    Path file = write("valid.yml", """
        settings: {dry_run: true}
        targets:
          deployer: {kind: command}
          oncall: {kind: webhook, url: "http://127.0.0.1:9/oncall"}
        rules:
          - name: page
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
        """);

    int code = execute(file.toString());

    assertThat(code).isZero();
    assertThat(out).hasToString(file + ": valid, 1 rule, 2 targets, dry_run=true" + System.lineSeparator());
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void invalidFilePrintsEveryProblemToStderrAndExitsOne() throws Exception {
    Path file = write("invalid.yml", """
        targets:
          oncall: {kind: webhook, url: "http://127.0.0.1:9/oncall"}
        rules:
          - name: page
            match: ['alertname="APIDown"']
            action: reboot
            target: oncall
            cooldown: 15x
        """);

    int code = execute(file.toString());

    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().lines()).containsExactly(
        file + ":6: rules[0].action: unknown action \"reboot\" (known: command, notify)",
        file + ":8: rules[0].cooldown: not a valid duration string: \"15x\" (use e.g. 90s, 15m, 1h30m)");
  }

  @Test
  void missingFileIsReportedWithoutAStackTrace() {
    Path missing = dir.resolve("nope.yml");

    int code = execute(missing.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err).hasToString(missing + ": cannot read: no such file" + System.lineSeparator());
  }

  @Test
  void directoryIsReportedAsUnreadable() {
    int code = execute(dir.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).startsWith(dir + ": cannot read: ").doesNotContain("Exception");
  }

  @Test
  void fileDefaultsToTheShippedRulesFile() {
    CommandLine commandLine = new CommandLine(new CheckCommand(ActionCatalog.specs(), Map.of()));
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int code = commandLine.execute();

    assertThat(code).isZero();
    assertThat(out.toString()).startsWith("rules/remediation.yml: valid, ").endsWith(", dry_run=true" + System.lineSeparator());
  }

  private int execute(String... args) {
    CommandLine commandLine = new CommandLine(new CheckCommand(TestCatalog.actions(), Map.of()));
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    return commandLine.execute(args);
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }
}
