package dev.remediator.action.railway;

import static dev.remediator.action.Requests.request;
import static dev.remediator.action.railway.RailwayAnswers.DEPLOYMENTS_QUERY;
import static dev.remediator.action.railway.RailwayAnswers.ROLLBACK_MUTATION;
import static dev.remediator.action.railway.RailwayAnswers.body;
import static dev.remediator.action.railway.RailwayAnswers.deployment;
import static dev.remediator.action.railway.RailwayAnswers.deployments;
import static dev.remediator.action.railway.RailwayAnswers.document;
import static dev.remediator.action.railway.RailwayAnswers.errors;
import static dev.remediator.action.railway.RailwayAnswers.mutation;
import static dev.remediator.action.railway.RailwayAnswers.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.remediator.action.ActionResult;
import dev.remediator.action.Pinning;
import dev.remediator.action.SharedClients;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RailwayRollbackActionTest {
  private static final Map<String, Object> WITH = Map.of("project", "p-1", "environment", "e-1", "service", "s-1");
  private static final String SERVICE = "service s-1 in environment e-1";

  private final MockWebServer server = new MockWebServer();
  private RailwayRollbackAction action;
  private Target target;

  @BeforeEach
  void start() throws IOException {
    server.start();
    target = new Target("railway", TargetKind.RAILWAY,
        Map.of("api_url", server.url("/graphql/v2").toString(), "token", "rw-t0ken"));
    action = (RailwayRollbackAction) new RailwayRollbackModule().open(target,
        new SharedClients(new OkHttpClient(), RailwayAnswers.MAPPER, Map.of()));
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private RecordedRequest taken() throws InterruptedException {
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  private static Map<String, Object> pinned(String from, String to) {
    Map<String, Object> params = new LinkedHashMap<>(WITH);
    params.put(Pinning.PARAM, Map.of("from_deployment", from, "from_status", "SUCCESS", "to_deployment", to,
        "to_status", "REMOVED", "to_created_at", "2020-01-01T08:00:00Z"));
    return params;
  }

  @Test
  void pinsTheNewestOlderDeploymentThatRanAndThatRailwayAllowsRollingBackTo() throws Exception {
    server.enqueue(deployments(
        deployment("d-9", "SUCCESS", "2020-01-01T11:00:00Z", false),
        deployment("d-8", "FAILED", "2020-01-01T10:00:00Z", true),
        deployment("d-7", "CRASHED", "2020-01-01T09:30:00Z", true),
        deployment("d-6", "REMOVED", "2020-01-01T09:00:00Z", false),
        deployment("d-5", "SKIPPED", "2020-01-01T08:30:00Z", true),
        deployment("d-4", "REMOVED", "2020-01-01T08:00:00Z", true),
        deployment("d-3", "REMOVED", "2020-01-01T07:00:00Z", true)));

    Map<String, Object> pin = action.pin(target, WITH);

    assertThat(pin).containsExactly(Map.entry("from_deployment", "d-9"), Map.entry("from_status", "SUCCESS"),
        Map.entry("to_deployment", "d-4"), Map.entry("to_status", "REMOVED"),
        Map.entry("to_created_at", "2020-01-01T08:00:00Z"));
    JsonNode query = body(taken());
    assertThat(document(query)).isEqualTo(DEPLOYMENTS_QUERY);
    assertThat(query.get("variables")).isEqualTo(tree(
        "{\"input\": {\"projectId\": \"p-1\", \"environmentId\": \"e-1\", \"serviceId\": \"s-1\"}, \"first\": 20}"));
  }

  @Test
  void theLatestIsTakenByCreationTimeWhateverOrderRailwayListsIn() throws Exception {
    server.enqueue(deployments(
        deployment("d-4", "REMOVED", "2020-01-01T08:00:00Z", true),
        deployment("d-9", "CRASHED", "2020-01-01T11:00:00Z", false),
        deployment("d-6", "REMOVED", "2020-01-01T09:00:00Z", true)));

    Map<String, Object> pin = action.pin(target, WITH);

    assertThat(pin).containsEntry("from_deployment", "d-9").containsEntry("from_status", "CRASHED")
        .containsEntry("to_deployment", "d-6");
  }

  @Test
  void noCandidateIsAPinExceptionThatSaysWhyEachWasPassedOver() {
    server.enqueue(deployments(
        deployment("d-9", "SUCCESS", "2020-01-01T11:00:00Z", false),
        deployment("d-8", "FAILED", "2020-01-01T10:00:00Z", true),
        deployment("d-7", "CRASHED", "2020-01-01T09:00:00Z", true),
        deployment("d-6", "REMOVED", "2020-01-01T08:00:00Z", false)));

    assertThatThrownBy(() -> action.pin(target, WITH))
        .isInstanceOf(Pinning.PinException.class)
        .hasMessage("no deployment of " + SERVICE + " older than the latest, d-9, can be rolled back to; passed over"
            + " d-8 (FAILED), d-7 (CRASHED), d-6 (REMOVED, Railway does not allow rolling back to it)");
  }

  @Test
  void aServiceWithOneDeploymentHasNothingToRollBackTo() {
    server.enqueue(deployments(deployment("d-1", "SUCCESS", "2020-01-01T11:00:00Z", false)));
    server.enqueue(deployments());

    assertThatThrownBy(() -> action.pin(target, WITH)).isInstanceOf(Pinning.PinException.class)
        .hasMessage(SERVICE + " has only its latest deployment d-1; there is nothing older to roll back to");
    assertThatThrownBy(() -> action.pin(target, WITH)).isInstanceOf(Pinning.PinException.class)
        .hasMessage(SERVICE + " has no deployments to roll back");
  }

  @Test
  void aFailedReadWhilePinningIsAPinExceptionWithRailwaysMessage() {
    server.enqueue(errors("Project not found"));

    assertThatThrownBy(() -> action.pin(target, WITH)).isInstanceOf(Pinning.PinException.class)
        .hasMessage("Railway refused Deployments on target railway: Project not found");
  }

  @Test
  void rollsBackToThePinnedDeploymentWhileTheLatestIsStillThePinnedOne() throws Exception {
    server.enqueue(deployments(deployment("d-9", "SUCCESS", "2020-01-01T11:00:00Z", false)));
    server.enqueue(mutation("deploymentRollback", true));

    ActionResult result = action.execute(request(target, pinned("d-9", "d-4")));

    assertThat(result).isEqualTo(new ActionResult.Succeeded("rolled back " + SERVICE
        + " from deployment d-9 (SUCCESS) to deployment d-4",
        Map.of("from_deployment", "d-9", "to_deployment", "d-4", "from_status", "SUCCESS")));
    JsonNode query = body(taken());
    assertThat(document(query)).isEqualTo(DEPLOYMENTS_QUERY);
    assertThat(query.get("variables").get("first").asInt()).isEqualTo(1);
    RecordedRequest rollback = taken();
    assertThat(rollback.getHeader("Authorization")).isEqualTo("Bearer rw-t0ken");
    JsonNode mutation = body(rollback);
    assertThat(document(mutation)).isEqualTo(ROLLBACK_MUTATION);
    assertThat(mutation.get("operationName").asText()).isEqualTo("DeploymentRollback");
    assertThat(mutation.get("variables")).isEqualTo(tree("{\"id\": \"d-4\"}"));
  }

  @Test
  void refusesWhenTheServiceMovedOnSinceThePinInsteadOfUndoingTheUndo() throws Exception {
    server.enqueue(deployments(deployment("d-10", "SUCCESS", "2020-01-01T11:30:00Z", false)));

    ActionResult result = action.execute(request(target, pinned("d-9", "d-4")));

    assertThat(result).isEqualTo(new ActionResult.Permanent("not rolling back " + SERVICE + ": its latest deployment"
        + " is now d-10 (SUCCESS), not d-9 as pinned when the rollback was decided; it has been deployed or rolled"
        + " back since", null, Map.of("from_deployment", "d-9", "to_deployment", "d-4",
        "latest_deployment", "d-10", "latest_status", "SUCCESS")));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void withoutAPinItRefusesAndSendsNothing() throws Exception {
    ActionResult result = action.execute(request(target, WITH));

    assertThat(result).isEqualTo(new ActionResult.Permanent("rollback of " + SERVICE + " has no pinned"
        + " from_deployment and to_deployment; it acts only from the state pinned when it was decided", null));
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void serverErrorOnTheRollbackIsPermanent() throws Exception {
    server.enqueue(deployments(deployment("d-9", "SUCCESS", "2020-01-01T11:00:00Z", false)));
    server.enqueue(new MockResponse().setResponseCode(503));

    ActionResult result = action.execute(request(target, pinned("d-9", "d-4")));

    assertThat(result).isEqualTo(new ActionResult.Permanent("Railway answered HTTP 503 to DeploymentRollback on target"
        + " railway; not repeated, it may have been applied", null,
        Map.of("from_deployment", "d-9", "to_deployment", "d-4", "from_status", "SUCCESS")));
  }

  @Test
  void serverErrorOnTheCheckBeforeRollingBackIsRetryable() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(503));

    assertThat(action.execute(request(target, pinned("d-9", "d-4"))))
        .isEqualTo(new ActionResult.Retryable("Railway answered HTTP 503 to Deployments on target railway", null,
            ActionResult.Reached.READS_ONLY));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void graphQlErrorOnTheRollbackIsPermanentWithItsMessage() throws Exception {
    server.enqueue(deployments(deployment("d-9", "SUCCESS", "2020-01-01T11:00:00Z", false)));
    server.enqueue(errors("Deployment is outside the retention window"));

    assertThat(action.execute(request(target, pinned("d-9", "d-4"))).message())
        .isEqualTo("Railway refused DeploymentRollback on target railway: Deployment is outside the retention window");
  }
}
