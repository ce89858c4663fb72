package dev.remediator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.action.catalog.ActionCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code check} with the built-in catalog validates the parameters of kill_idle_connections,
 * flush_cache, and restart, rollback and scale on command targets offline, each problem on its line.
 */
class CheckCommandDataActionsTest {
  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void validRulesForEveryActionPass() throws Exception {
    Path file = write("valid.yml", """
        targets:
          app-db: {kind: postgres, jdbc_url: "jdbc:postgresql://127.0.0.1:5432/app", user: remediator,
                   password_file: /run/secrets/app-db-password}
          app-cache: {kind: redis, url: "redis://127.0.0.1:6379/0"}
          deployer: {kind: command, working_dir: /srv/app}
        rules:
          - name: kill-idle-db-connections
            match: ['alertname="DatabaseConnectionPoolExhausted"']
            action: kill_idle_connections
            target: app-db
            with: {idle_for: 10m, max: 50, database: "{{ labels.datname }}", include_idle_in_transaction: false}
            allow: {datname: "[a-z_]{1,63}"}
          - name: flush-apartment-cache
            match: ['alertname="StaleApartmentCache"']
            action: flush_cache
            target: app-cache
            with: {pattern: "apartment:*", max_keys: 100000, batch: 500}
          - name: flush-whole-cache-db
            match: ['alertname="CacheCorrupted"']
            action: flush_cache
            target: app-cache
            with: {scope: db}
            approval: required
          - name: restart-app
            match: ['alertname="HighErrorRate"']
            action: restart
            target: deployer
            with:
              argv: ["docker", "compose", "-f", "compose.yml", "restart", "{{ labels.service }}"]
              timeout: 60s
            allow: {service: "[a-z0-9-]{1,63}"}
          - name: rollback-app
            match: ['alertname="ErrorBudgetBurnRateCritical"']
            action: rollback
            target: deployer
            with: {argv: ["./scripts/rollback.sh", "{{ annotations.previous_version }}"]}
            allow: {annotations.previous_version: "v[0-9]+[.][0-9]+[.][0-9]+"}
          - name: scale-workers
            match: ['alertname="WorkerQueueBacklog"']
            action: scale
            target: deployer
            with:
              argv: ["docker", "compose", "up", "-d", "--no-recreate", "--scale", "worker={replicas}"]
              current: "{{ annotations.current_replicas }}"
              factor: 2
              max_replicas: 10
            allow: {annotations.current_replicas: "[0-9]{1,4}"}
        """);

    int code = execute(file);

    assertThat(err.toString()).isEmpty();
    assertThat(out).hasToString(file + ": valid, 6 rules, 3 targets, dry_run=false" + System.lineSeparator());
    assertThat(code).isZero();
  }

  @Test
  void badWithBlocksAreReportedWithTheirLines() throws Exception {
    Path file = write("invalid.yml", """
        targets:
          app-db: {kind: postgres, jdbc_url: "jdbc:postgresql://127.0.0.1:5432/app"}
          app-cache: {kind: redis, url: "redis://127.0.0.1:6379/0"}
          deployer: {kind: command}
        rules:
          - name: kill-idle
            match: ['alertname="DatabaseConnectionPoolExhausted"']
            action: kill_idle_connections
            target: app-db
            with:
              max: "50"
              include_idle_in_transaction: "yes"
              state: idle
          - name: flush-both
            match: ['alertname="CacheStale"']
            action: flush_cache
            target: app-cache
            with:
              pattern: "apartment:*"
              scope: db
          - name: flush-batch
            match: ['alertname="CacheStale"']
            action: flush_cache
            target: app-cache
            with:
              pattern: "apartment:*"
              batch: 1.5
          - name: scale-workers
            match: ['alertname="WorkerQueueBacklog"']
            action: scale
            target: deployer
            with:
              argv: ["docker", "compose", "up", "-d", "--scale", "worker={replicas}"]
              current: 3
              factor: 2
              step: 1
              min_replicas: 4
              max_replicas: 2
          - name: scale-by-nothing
            match: ['alertname="WorkerQueueBacklog"']
            action: scale
            target: deployer
            with:
              argv: ["docker", "compose", "up", "-d", "--scale", "worker=2"]
              query: ["./replicas", "worker"]
              factor: 0
              max_replicas: 10.5
          - name: restart-app
            match: ['alertname="HighErrorRate"']
            action: restart
            target: deployer
            with:
              argv: "systemctl restart app"
              timeout: 10m30
        """);

    int code = execute(file);

    assertThat(err.toString().lines()).containsExactly(
        file + ":11: rules[0].with.idle_for: is required: how long a connection must have been idle, e.g. 10m",
        file + ":11: rules[0].with.max: must be a whole number, but was \"50\"",
        file + ":12: rules[0].with.include_idle_in_transaction: must be true or false, but was \"yes\"",
        file + ":13: rules[0].with.state: is not a parameter of kill_idle_connections (known: idle_for, max, database,"
            + " user, application_name, include_idle_in_transaction)",
        file + ":20: rules[1].with.scope: cannot be given with pattern: delete the keys matching a pattern, or flush"
            + " the whole db with scope: db, not both",
        file + ":27: rules[2].with.batch: must be a whole number, but was 1.5",
        file + ":36: rules[3].with.step: cannot be given with factor: scale by a factor (new = ceil(current x factor))"
            + " or by a step (new = current + step), not both",
        file + ":38: rules[3].with.max_replicas: must not be below min_replicas (4), but was 2",
        file + ":44: rules[4].with.argv: must contain {replicas} where the new replica count goes, e.g."
            + " \"worker={replicas}\"",
        file + ":46: rules[4].with.factor: must be above 0, but was 0",
        file + ":47: rules[4].with.max_replicas: must be a whole number, but was 10.5",
        file + ":53: rules[5].with.argv: must be a non-empty list of strings, but was \"systemctl restart app\"",
        file + ":54: rules[5].with.timeout: not a valid duration string: \"10m30\" (use e.g. 90s, 15m, 1h30m)");
    assertThat(out.toString()).isEmpty();
    assertThat(code).isEqualTo(1);
  }

  @Test
  void anActionOnTheWrongKindOfTargetIsReported() throws Exception {
    Path file = write("kinds.yml", """
        targets:
          app-cache: {kind: redis, url: "redis://127.0.0.1:6379/0"}
        rules:
          - name: kill-idle
            match: ['alertname="DatabaseConnectionPoolExhausted"']
            action: kill_idle_connections
            target: app-cache
            with: {idle_for: 10m}
        """);

    int code = execute(file);

    assertThat(err.toString().lines()).containsExactly(file + ":7: rules[0].target: action \"kill_idle_connections\""
        + " cannot use redis target \"app-cache\" (it needs a postgres target)");
    assertThat(code).isEqualTo(1);
  }

  private int execute(Path file) {
    CommandLine commandLine = new CommandLine(new CheckCommand(ActionCatalog.specs(), Map.of()));
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    return commandLine.execute(file.toString());
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }
}
