package dev.remediator.action.railway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code remediator check} reports every bad {@code with} of restart and rollback on railway on its own line. */
class RailwayCheckTest {
  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void restartAndRollbackOnRailwayPass() throws Exception {
    Path file = write("""
        targets:
          railway: {kind: railway, token_file: /run/secrets/railway-token}
        rules:
          - name: restart-api
            match: ['alertname="HighErrorRate"']
            action: restart
            target: railway
            with: {project: "0f6c2b8e-1c2d-4e5f-9a8b-7c6d5e4f3a2b", environment: production-env, service: "{{ labels.railway_service }}"}
            allow: {railway_service: "[a-z0-9-]{1,64}"}
          - name: rollback-api
            match: ['alertname="ErrorBudgetBurnRateCritical"']
            action: rollback
            target: railway
            with: {project: p-1, environment: e-1, service: s-1}
            approval: required
        """);

    int code = check(file);

    assertThat(err.toString()).isEmpty();
    assertThat(out).hasToString(file + ": valid, 2 rules, 1 target, dry_run=false" + System.lineSeparator());
    assertThat(code).isZero();
  }

  @Test
  void everyBadParameterIsReportedWithItsLine() throws Exception {
    Path file = write("""
        targets:
          railway: {kind: railway, token: "${RAILWAY_TOKEN}"}
        rules:
          - name: restart-api
            match: ['alertname="HighErrorRate"']
            action: restart
            target: railway
            with:
              project: p-1
              environment: 42
              deployment: d-1
          - name: rollback-api
            match: ['alertname="ErrorBudgetBurnRateCritical"']
            action: rollback
            target: railway
            with:
              project: p-1
              environment: ""
              service: [s-1]
          - name: restart-unpinned
            match: ['alertname="APIDown"']
            action: restart
            target: railway
            with:
              project: p-1
              environment: e-1
              service: "{{ labels.service }}"
        """);

    int code = check(file);

    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().lines()).containsExactly(
        file + ":9: rules[0].with.service: is required: the Railway service id",
        file + ":10: rules[0].with.environment: must be a non-empty string (the Railway environment id), but was 42",
        file + ":11: rules[0].with.deployment: is not a parameter of restart (known: project, environment, service)",
        file + ":18: rules[1].with.environment: must be a non-empty string (the Railway environment id), but was \"\"",
        file + ":19: rules[1].with.service: must be a non-empty string (the Railway service id), but was [s-1]",
        file + ":27: rules[2].with.service uses labels.service, which has no allow pattern");
  }

  @Test
  void railwayTargetWithoutTokenIsReported() throws Exception {
    Path file = write("""
        targets:
          railway: {kind: railway, api_url: "https://backboard.railway.com/graphql/v2"}
        rules: []
        """);

    int code = check(file);

    assertThat(code).isEqualTo(1);
    assertThat(err.toString().lines()).containsExactly(
        file + ":2: targets.railway: a railway target needs token or token_file");
  }

  private int check(Path file) {
    return Main.commandLine(Map.of("RAILWAY_TOKEN", "rw-t0ken")).setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err)).execute("check", file.toString());
  }

  private Path write(String text) throws Exception {
    return Files.writeString(dir.resolve("rules.yml"), text);
  }
}
