package dev.remediator.action.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.remediator.action.catalog.ActionCatalog;
import dev.remediator.cli.CheckCommand;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.RulesException;
import dev.remediator.rules.RulesLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code remediator check} on rules for kubernetes targets: each bad parameter on its own line. */
class KubernetesRulesCheckTest {
  private final RulesLoader loader = new RulesLoader(ActionCatalog.specs(), Map.of());

  @Test
  void rulesForEveryKubernetesActionLoad() {
    RuleSet rules = loader.parse("rules.yml", """
        targets:
          cluster: {kind: kubernetes, namespace: prod}
        rules:
          - name: restart-api
            match: ['alertname="HighErrorRate"']
            action: restart
            target: cluster
            with: {namespace: "{{ labels.namespace }}", deployment: "{{ labels.service }}", wait: 5m, timeout: 6m}
            allow: {namespace: "prod|staging", service: "[a-z0-9-]{1,63}"}
          - name: rollback-api
            match: ['alertname="ErrorBudgetBurnRateCritical"']
            action: rollback
            target: cluster
            with: {deployment: api}
            approval: required
          - name: scale-workers
            match: ['alertname="WorkerQueueBacklog"']
            action: scale
            target: cluster
            with: {deployment: "{{ labels.worker }}", factor: 2, max_replicas: 10}
            allow: {worker: "worker(-[a-z0-9]{1,20})?"}
        """);

    assertThat(rules.rules()).hasSize(3);
  }

  @Test
  void badParametersAreReportedWithTheirLines() {
    RulesException problems = catchThrowableOfType(() -> loader.parse("rules.yml", """
        targets:
          cluster: {kind: kubernetes}
        rules:
          - name: scale-workers
            match: ['alertname="WorkerQueueBacklog"']
            action: scale
            target: cluster
            with:
              deployment: worker
              factor: 2
              step: 1
              min_replicas: 4
              max_replicas: 3
          - name: restart-api
            match: ['alertname="HighErrorRate"']
            action: restart
            target: cluster
            with:
              namespace: Prod
              deployment: "{{ labels.service }}"
              wait: 5m
          - name: rollback-redis
            match: ['alertname="RedisDown"']
            action: rollback
            target: cluster
            with:
              statefulset: redis
        """), RulesException.class);

    assertThat(problems.problems()).containsExactly(
        "rules.yml:11: rules[0].with.step: cannot be given together with factor; give one of them",
        "rules.yml:19: rules[1].with.namespace: must be a namespace name (DNS-1123 label: at most 63 lowercase"
            + " letters, digits or \"-\", starting and ending with a letter or digit), but was \"Prod\"",
        "rules.yml:20: rules[1].with.deployment uses labels.service, which has no allow pattern",
        "rules.yml:21: rules[1].with.wait: must be shorter than timeout (30s unless set), which limits the whole"
            + " restart; set a longer timeout too, such as timeout: 6m",
        "rules.yml:27: rules[2].with.statefulset: is not a parameter of rollback (known: namespace, deployment,"
            + " timeout)",
        "rules.yml:27: rules[2].with: needs deployment: the workload to rollback");
  }

  @Test
  void boundsThatLeaveNoRoomAreReportedOnTheMaxReplicasLine() {
    RulesException problems = catchThrowableOfType(() -> loader.parse("rules.yml", """
        targets:
          cluster: {kind: kubernetes}
        rules:
          - name: scale-workers
            match: ['alertname="WorkerQueueBacklog"']
            action: scale
            target: cluster
            with:
              deployment: worker
              step: 1
              min_replicas: 4
              max_replicas: 3
        """), RulesException.class);

    assertThat(problems.problems()).containsExactly(
        "rules.yml:12: rules[0].with.max_replicas: must not be less than min_replicas (4), but was 3");
  }

  @Test
  void checkCommandPrintsEachBadParameterAsFileLineAndExitsOne(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("remediation.yml"), """
        targets:
          cluster: {kind: kubernetes, namespace: prod}
        rules:
          - name: scale-workers
            match: ['alertname="WorkerQueueBacklog"']
            action: scale
            target: cluster
            with:
              deployment: "{{ labels.worker }}"
              factor: 2
              max_replicas: 1.5
            allow: {worker: "worker(-[a-z0-9]{1,20})?"}
          - name: restart-api
            match: ['alertname="HighErrorRate"']
            action: restart
            target: cluster
            with: {deployment: api, wait: 10m}
        """);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine check = new CommandLine(new CheckCommand(ActionCatalog.specs(), Map.of()));
    check.setOut(new PrintWriter(out));
    check.setErr(new PrintWriter(err));

    int code = check.execute(file.toString());

    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().lines()).containsExactly(
        file + ":11: rules[0].with.max_replicas: must be a whole number of at least 1, but was 1.5",
        file + ":17: rules[1].with.wait: must be shorter than timeout (30s unless set), which limits the whole"
            + " restart; set a longer timeout too, such as timeout: 11m");
  }
}
