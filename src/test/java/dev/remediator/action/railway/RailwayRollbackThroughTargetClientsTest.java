package dev.remediator.action.railway;

import static dev.remediator.action.railway.RailwayAnswers.deployment;
import static dev.remediator.action.railway.RailwayAnswers.deployments;
import static dev.remediator.action.railway.RailwayAnswers.mutation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.action.Pinning;
import dev.remediator.action.Requests;
import dev.remediator.action.SharedClients;
import dev.remediator.action.TargetClients;
import dev.remediator.action.catalog.ActionCatalog;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.RulesLoader;
import dev.remediator.target.Target;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A railway rollback as the server runs it: loaded from a rules file with the built-in catalog,
 * pinned and executed through the target clients, then run a second time (a retry, a replay)
 * after Railway has made the rollback's own deployment the latest: it refuses.
 */
class RailwayRollbackThroughTargetClientsTest {
  private final MockWebServer server = new MockWebServer();
  private TargetClients clients;

  @BeforeEach
  void start() throws IOException {
    server.start();
    RuleSet rules = new RulesLoader(ActionCatalog.specs(), Map.of("RAILWAY_API", server.url("/graphql/v2").toString()))
        .parse("rules.yml", """
            targets:
              railway: {kind: railway, token: rw-t0ken, api_url: "${RAILWAY_API}"}
            rules:
              - name: rollback-on-fast-burn
                match: ['alertname="ErrorBudgetBurnRateCritical"']
                action: rollback
                target: railway
                with: {project: p-1, environment: e-1, service: "{{ labels.railway_service }}"}
                allow: {railway_service: "[a-z0-9-]{1,64}"}
            """);
    clients = new TargetClients(ActionCatalog.MODULES,
        new SharedClients(new OkHttpClient(), RailwayAnswers.MAPPER, Map.of()), () -> rules);
  }

  @AfterEach
  void stop() throws IOException {
    clients.close();
    server.shutdown();
  }

  @Test
  void pinsWhenDecidedRollsBackOnceAndRefusesToUndoItsOwnRollback() throws Exception {
    Map<String, Object> params = Map.of("project", "p-1", "environment", "e-1", "service", "s-1");
    server.enqueue(deployments(
        deployment("d-9", "SUCCESS", "2020-01-01T11:00:00Z", false),
        deployment("d-8", "REMOVED", "2020-01-01T10:00:00Z", true)));

    Optional<Map<String, Object>> pin = clients.pin("rollback", "railway", params);

    assertThat(pin).hasValueSatisfying(value -> assertThat(value)
        .containsEntry("from_deployment", "d-9").containsEntry("to_deployment", "d-8"));
    Map<String, Object> decided = new LinkedHashMap<>(params);
    decided.put(Pinning.PARAM, pin.get());

    server.enqueue(deployments(deployment("d-9", "SUCCESS", "2020-01-01T11:00:00Z", false)));
    server.enqueue(mutation("deploymentRollback", true));
    ActionResult first = clients.execute("rollback", "railway", target -> request(target, decided));

    server.enqueue(deployments(deployment("d-10", "DEPLOYING", "2020-01-01T11:05:00Z", false)));
    ActionResult second = clients.execute("rollback", "railway", target -> request(target, decided));

    assertThat(first).isInstanceOf(ActionResult.Succeeded.class);
    assertThat(first.facts()).containsEntry("to_deployment", "d-8");
    assertThat(second).isInstanceOf(ActionResult.Permanent.class);
    assertThat(second.message()).startsWith("not rolling back service s-1 in environment e-1: its latest deployment"
        + " is now d-10 (DEPLOYING), not d-9");
    assertThat(server.getRequestCount()).isEqualTo(4);
  }

  @Test
  void restartOnTheSameTargetPinsNothing() throws Exception {
    assertThat(clients.pin("restart", "railway", Map.of("project", "p-1", "environment", "e-1", "service", "s-1")))
        .isEmpty();
    assertThat(server.getRequestCount()).isZero();
  }

  private static ActionRequest request(Target target, Map<String, Object> params) {
    return new ActionRequest(7, "rollback-on-fast-burn", target, params, Requests.firingAlert());
  }
}
