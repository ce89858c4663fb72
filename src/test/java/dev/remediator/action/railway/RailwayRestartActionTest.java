package dev.remediator.action.railway;

import static dev.remediator.action.Requests.request;
import static dev.remediator.action.railway.RailwayAnswers.DEPLOYMENTS_QUERY;
import static dev.remediator.action.railway.RailwayAnswers.RESTART_MUTATION;
import static dev.remediator.action.railway.RailwayAnswers.body;
import static dev.remediator.action.railway.RailwayAnswers.deployment;
import static dev.remediator.action.railway.RailwayAnswers.deployments;
import static dev.remediator.action.railway.RailwayAnswers.document;
import static dev.remediator.action.railway.RailwayAnswers.errors;
import static dev.remediator.action.railway.RailwayAnswers.json;
import static dev.remediator.action.railway.RailwayAnswers.mutation;
import static dev.remediator.action.railway.RailwayAnswers.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.remediator.action.Action;
import dev.remediator.action.ActionResult;
import dev.remediator.action.SharedClients;
import dev.remediator.resilience.RetryPolicy;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RailwayRestartActionTest {
  private static final Map<String, Object> WITH = Map.of("project", "p-1", "environment", "e-1", "service", "s-1");
  private static final String SERVICE = "service s-1 in environment e-1";

  private final MockWebServer server = new MockWebServer();
  private final SharedClients shared = new SharedClients(new OkHttpClient(), RailwayAnswers.MAPPER, Map.of());

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private Target target(String... settings) {
    Map<String, String> map = new HashMap<>();
    map.put("api_url", server.url("/graphql/v2").toString());
    for (int i = 0; i < settings.length; i += 2) {
      map.put(settings[i], settings[i + 1]);
    }
    return new Target("railway", TargetKind.RAILWAY, map);
  }

  private ActionResult restart(Target target) throws InterruptedException {
    Action action = new RailwayRestartModule().open(target, shared);
    return action.execute(request(target, WITH));
  }

  private RecordedRequest taken() throws InterruptedException {
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  @Test
  void restartsTheLatestDeploymentOfTheService() throws Exception {
    server.enqueue(deployments(deployment("d-3", "SUCCESS", "2020-01-01T11:00:00.000Z", false)));
    server.enqueue(mutation("deploymentRestart", true));

    ActionResult result = restart(target("token", "rw-t0ken"));

    assertThat(result).isEqualTo(new ActionResult.Succeeded("restarted deployment d-3 of " + SERVICE
        + " (it was SUCCESS)", Map.of("deployment", "d-3", "status_before", "SUCCESS")));
    assertThat(result.facts().keySet()).containsExactly("deployment", "status_before");

    RecordedRequest query = taken();
    assertThat(query.getMethod()).isEqualTo("POST");
    assertThat(query.getPath()).isEqualTo("/graphql/v2");
    assertThat(query.getHeader("Authorization")).isEqualTo("Bearer rw-t0ken");
    assertThat(query.getHeader("Content-Type")).isEqualTo("application/json");
    JsonNode queryBody = body(query);
    assertThat(document(queryBody)).isEqualTo(DEPLOYMENTS_QUERY);
    assertThat(queryBody.get("operationName").asText()).isEqualTo("Deployments");
    assertThat(queryBody.get("variables")).isEqualTo(tree(
        "{\"input\": {\"projectId\": \"p-1\", \"environmentId\": \"e-1\", \"serviceId\": \"s-1\"}, \"first\": 1}"));

    RecordedRequest restart = taken();
    assertThat(restart.getHeader("Authorization")).isEqualTo("Bearer rw-t0ken");
    JsonNode restartBody = body(restart);
    assertThat(document(restartBody)).isEqualTo(RESTART_MUTATION);
    assertThat(restartBody.get("operationName").asText()).isEqualTo("DeploymentRestart");
    assertThat(restartBody.get("variables")).isEqualTo(tree("{\"id\": \"d-3\"}"));
  }

  @Test
  void serviceWithoutDeploymentsIsPermanentAndRestartsNothing() throws Exception {
    server.enqueue(deployments());

    ActionResult result = restart(target("token", "rw-t0ken"));

    assertThat(result).isEqualTo(new ActionResult.Permanent(SERVICE + " has no deployment to restart (target railway)",
        null));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void graphQlErrorsInA200AnswerArePermanentWithTheirMessage() throws Exception {
    server.enqueue(deployments(deployment("d-3", "REMOVED", "2020-01-01T11:00:00Z", false)));
    server.enqueue(errors("Cannot restart a removed deployment"));

    ActionResult result = restart(target("token", "rw-t0ken"));

    assertThat(result).isEqualTo(new ActionResult.Permanent("Railway refused DeploymentRestart on target railway:"
        + " Cannot restart a removed deployment", null, Map.of("deployment", "d-3", "status_before", "REMOVED")));
  }

  @Test
  void mutationAnsweredFalseIsPermanent() throws Exception {
    server.enqueue(deployments(deployment("d-3", "SUCCESS", "2020-01-01T11:00:00Z", false)));
    server.enqueue(mutation("deploymentRestart", false));

    assertThat(restart(target("token", "rw-t0ken")).message())
        .isEqualTo("Railway answered that it did not restart deployment d-3 of " + SERVICE);
  }

  @Test
  void unauthorizedIsPermanentAndNamesTheTarget() throws Exception {
    server.enqueue(json(401, "{\"errors\": [{\"message\": \"Not Authorized\"}]}"));

    ActionResult result = restart(target("token", "rw-t0ken"));

    assertThat(result).isEqualTo(new ActionResult.Permanent(
        "Railway refused the token of target railway (HTTP 401) for Deployments: Not Authorized", null));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void forbiddenWithoutJsonIsPermanentToo() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(403).setBody("forbidden"));

    assertThat(restart(target("token", "rw-t0ken"))).isEqualTo(new ActionResult.Permanent(
        "Railway refused the token of target railway (HTTP 403) for Deployments: forbidden", null));
  }

  @Test
  void serverErrorOnTheQueryIsRetryable() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(502).setBody("bad gateway"));

    assertThat(restart(target("token", "rw-t0ken"))).isEqualTo(new ActionResult.Retryable(
        "Railway answered HTTP 502 to Deployments on target railway: bad gateway", null,
        ActionResult.Reached.READS_ONLY));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void serverErrorOnTheMutationIsPermanentBecauseItMayHaveBeenApplied() throws Exception {
    server.enqueue(deployments(deployment("d-3", "SUCCESS", "2020-01-01T11:00:00Z", false)));
    server.enqueue(new MockResponse().setResponseCode(502).setBody("bad gateway"));

    assertThat(restart(target("token", "rw-t0ken"))).isEqualTo(new ActionResult.Permanent(
        "Railway answered HTTP 502 to DeploymentRestart on target railway: bad gateway;"
            + " not repeated, it may have been applied", null, Map.of("deployment", "d-3", "status_before", "SUCCESS")));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void mutationCutOffAfterSendingIsPermanentAndNeverResent() throws Exception {
    server.enqueue(deployments(deployment("d-3", "SUCCESS", "2020-01-01T11:00:00Z", false)));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(mutation("deploymentRestart", true));

    ActionResult result = restart(target("token", "rw-t0ken"));

    assertThat(result).isInstanceOfSatisfying(ActionResult.Permanent.class, permanent -> assertThat(permanent.reason())
        .startsWith("DeploymentRestart on target railway failed after the request may have reached Railway: ")
        .endsWith("; not repeated, it may have been applied"));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void queryCutOffAfterSendingIsRetryable() throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));

    assertThat(restart(target("token", "rw-t0ken"))).isInstanceOfSatisfying(ActionResult.Retryable.class,
        retryable -> assertThat(retryable.reason()).startsWith("Deployments on target railway failed: "));
  }

  @Test
  void connectionRefusedIsRetryableBecauseNothingWasSent() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Target closed = new Target("railway", TargetKind.RAILWAY,
        Map.of("api_url", "http://127.0.0.1:" + port + "/graphql/v2", "token", "rw-t0ken"));

    assertThat(restart(closed)).isInstanceOfSatisfying(ActionResult.Retryable.class, retryable -> {
      assertThat(retryable.reason()).isEqualTo("could not reach Railway for Deployments on target railway,"
          + " nothing was sent: Failed to connect to /127.0.0.1:" + port);
      assertThat(retryable.cause()).isInstanceOf(ConnectException.class);
    });
  }

  @Test
  void rateLimitedMutationReachedRailwaySoTheRetryPolicyDoesNotRepeatIt() throws Exception {
    server.enqueue(deployments(deployment("d-3", "SUCCESS", "2020-01-01T11:00:00Z", false)));
    server.enqueue(json(429, "{\"errors\": [{\"message\": \"Rate limit exceeded\"}]}"));

    ActionResult result = restart(target("token", "rw-t0ken"));

    assertThat(result).isEqualTo(new ActionResult.Retryable(
        "Railway rate-limited DeploymentRestart on target railway (HTTP 429): Rate limit exceeded", null,
        ActionResult.Reached.MAYBE_ACTED));
    assertThat(RetryPolicy.safe("restart", ((ActionResult.Retryable) result).reached())).isFalse();
  }

  @Test
  void temporaryGraphQlErrorsAreRetryableOnlyForTheQuery() throws Exception {
    server.enqueue(errors("Request timed out, try again"));
    server.enqueue(deployments(deployment("d-3", "SUCCESS", "2020-01-01T11:00:00Z", false)));
    server.enqueue(errors("Request timed out, try again"));

    assertThat(restart(target("token", "rw-t0ken"))).isEqualTo(new ActionResult.Retryable(
        "Railway refused Deployments on target railway: Request timed out, try again", null,
        ActionResult.Reached.READS_ONLY));
    assertThat(restart(target("token", "rw-t0ken"))).isInstanceOf(ActionResult.Permanent.class);
  }

  @Test
  void tokenFileIsReadAgainOnEachCall(@TempDir Path dir) throws Exception {
    Path token = Files.writeString(dir.resolve("railway-token"), "first\n");
    server.enqueue(deployments());
    server.enqueue(deployments());

    restart(target("token_file", token.toString()));
    Files.writeString(token, "rotated\n");
    restart(target("token_file", token.toString()));

    assertThat(taken().getHeader("Authorization")).isEqualTo("Bearer first");
    assertThat(taken().getHeader("Authorization")).isEqualTo("Bearer rotated");
  }

  @Test
  void missingTokenFileIsPermanentAndSendsNothing(@TempDir Path dir) throws Exception {
    ActionResult result = restart(target("token_file", dir.resolve("absent").toString()));

    assertThat(result).isEqualTo(new ActionResult.Permanent("target railway: cannot read token_file "
        + dir.resolve("absent") + ": no such file", null));
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void targetWithoutTokenIsPermanentAndSendsNothing() throws Exception {
    assertThat(restart(target())).isEqualTo(new ActionResult.Permanent(
        "target railway: a railway target needs token or token_file", null));
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void theTokenNeverAppearsInAResultEvenWhenRailwayEchoesIt() throws Exception {
    server.enqueue(errors("Invalid token rw-t0ken-s3cret for project p-1"));
    server.enqueue(new MockResponse().setResponseCode(500).setBody("upstream rejected Bearer rw-t0ken-s3cret"));

    ActionResult first = restart(target("token", "rw-t0ken-s3cret"));
    ActionResult second = restart(target("token", "rw-t0ken-s3cret"));

    assertThat(first.message()).isEqualTo("Railway refused Deployments on target railway: Invalid token *** for project p-1");
    assertThat(second.message()).isEqualTo("Railway answered HTTP 500 to Deployments on target railway:"
        + " upstream rejected Bearer ***");
  }

  @Test
  void answerThatIsNotJsonIsPermanent() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(200).setBody("<html>maintenance</html>"));

    assertThat(restart(target("token", "rw-t0ken"))).isEqualTo(new ActionResult.Permanent(
        "Railway's answer to Deployments on target railway is not JSON: <html>maintenance</html>", null));
  }

  @Test
  void invalidParametersArePermanentAndSendNothing() throws Exception {
    Target target = target("token", "rw-t0ken");
    Action action = new RailwayRestartModule().open(target, shared);

    ActionResult result = action.execute(request(target, Map.of("project", "p-1", "service", 7)));

    assertThat(result).isEqualTo(new ActionResult.Permanent("invalid parameters: environment is required: the Railway"
        + " environment id; service must be a non-empty string (the Railway service id), but was 7", null));
    assertThat(server.getRequestCount()).isZero();
  }
}
