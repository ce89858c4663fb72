package dev.remediator.action.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code remediator check} reports every bad {@code with} of the http actions on its own line. */
class HttpCheckTest {
  private static final String HEAD = """
      targets:
        platform:
          kind: http
          base_url: https://deploy.internal/api/v1
          token_file: /run/secrets/deploy-token
          headers: {X-Team: payments}
      rules:
      """;

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void validRequestsOnAnHttpTargetPass() throws Exception {
    Path file = write(HEAD + """
          - name: restart-api
            match: ['alertname="HighErrorRate"']
            action: restart
            target: platform
            with:
              method: POST
              path: /services/{{ labels.service }}/restart
              body: {reason: "{{ labels.alertname }}"}
              expect: [200, 202]
              timeout: 20s
            allow: {service: "[a-z0-9-]{1,63}", alertname: "[A-Za-z]+"}
          - name: rollback-api
            match: ['alertname="ErrorBudgetBurnRateCritical"']
            action: rollback
            target: platform
            with: {method: POST, path: /services/api/rollback}
          - name: flush-edge-cache
            match: ['alertname="HighResponseTime"']
            action: http
            target: platform
            with: {method: DELETE, path: "/cache?scope=edge"}
        """);

    int code = check(file);

    assertThat(err.toString()).isEmpty();
    assertThat(out).hasToString(file + ": valid, 3 rules, 1 target, dry_run=false" + System.lineSeparator());
    assertThat(code).isZero();
  }

  @Test
  void everyBadParameterIsReportedWithItsLine() throws Exception {
    Path file = write(HEAD + """
          - name: bad-http
            match: ['alertname="HighErrorRate"']
            action: http
            target: platform
            with:
              method: FETCH
              path: /services/../admin
              url: https://evil.example/
              expect:
                - 200
                - accepted
              timeout: 30
          - name: bad-restart
            match: ['alertname="APIDown"']
            action: restart
            target: platform
            with:
              path: 42
              expect: 202
          - name: bad-body
            match: ['alertname="APIDown"']
            action: http
            target: platform
            with:
              method: GET
              path: /status
              body: "on"
        """);

    int code = check(file);

    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().lines()).containsExactly(
        file + ":13: rules[0].with.method: must be one of GET, POST, PUT, PATCH, DELETE, HEAD, but was \"FETCH\"",
        file + ":14: rules[0].with.path: must not contain a \".\" or \"..\" segment, but was \"/services/../admin\"",
        file + ":15: rules[0].with.url: is not a parameter of http (known: method, path, body, expect, timeout)",
        file + ":18: rules[0].with.expect[1]: must be an HTTP status code from 100 to 599, but was \"accepted\"",
        file + ":19: rules[0].with.timeout: must be a duration such as 30s, but was 30",
        file + ":25: rules[1].with.method: is required: one of GET, POST, PUT, PATCH, DELETE, HEAD",
        file + ":25: rules[1].with.path: must be a string, but was 42",
        file + ":26: rules[1].with.expect: must be a non-empty list of HTTP status codes such as [200, 202],"
            + " but was 202",
        file + ":34: rules[2].with.body: is not allowed with method GET");
  }

  @Test
  void templatedPathNeedsAnAllowPattern() throws Exception {
    Path file = write(HEAD + """
          - name: restart-service
            match: ['alertname="HighErrorRate"']
            action: http
            target: platform
            with: {method: POST, path: "/services/{{ labels.service }}/restart"}
        """);

    int code = check(file);

    assertThat(code).isEqualTo(1);
    assertThat(err.toString().lines()).containsExactly(
        file + ":12: rules[0].with.path uses labels.service, which has no allow pattern");
  }

  private int check(Path file) {
    return Main.commandLine(Map.of()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("check", file.toString());
  }

  private Path write(String text) throws Exception {
    return Files.writeString(dir.resolve("rules.yml"), text);
  }
}
