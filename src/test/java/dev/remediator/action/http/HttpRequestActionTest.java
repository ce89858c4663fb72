package dev.remediator.action.http;

import static dev.remediator.action.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.action.ActionResult;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpRequestActionTest {
  private final ObjectMapper mapper = new ObjectMapper();
  private final HttpRequestAction action = new HttpRequestAction(new HttpRequestSpec("http"), new OkHttpClient(), mapper);
  private final MockWebServer server = new MockWebServer();

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
    map.put("base_url", server.url("/api/v1").toString());
    for (int i = 0; i < settings.length; i += 2) {
      map.put(settings[i], settings[i + 1]);
    }
    return new Target("deployer", TargetKind.HTTP, map);
  }

  private static Map<String, Object> with(Object... pairs) {
    Map<String, Object> with = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      with.put((String) pairs[i], pairs[i + 1]);
    }
    return with;
  }

  private RecordedRequest taken() throws InterruptedException {
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  @Test
  void postsAJsonBodyWithTheTargetHeadersAndBearerToken() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(202).setBody("{\"restart\": \"queued\"}"));

    ActionResult result = action.execute(request(
        target("token", "t0ken-s3cret", "headers.X-Team", "payments", "headers.Accept", "application/json"),
        with("method", "POST", "path", "/services/api/restart",
            "body", Map.of("service", "api", "reason", "HighErrorRate"), "expect", List.of(200, 202))));

    assertThat(result).isEqualTo(new ActionResult.Succeeded(
        "POST /api/v1/services/api/restart answered HTTP 202: {\"restart\": \"queued\"}",
        with("method", "POST", "path", "/api/v1/services/api/restart", "status", 202,
            "response", "{\"restart\": \"queued\"}")));
    RecordedRequest recorded = taken();
    assertThat(recorded.getMethod()).isEqualTo("POST");
    assertThat(recorded.getPath()).isEqualTo("/api/v1/services/api/restart");
    assertThat(recorded.getHeader("Authorization")).isEqualTo("Bearer t0ken-s3cret");
    assertThat(recorded.getHeader("X-Team")).isEqualTo("payments");
    assertThat(recorded.getHeader("Accept")).isEqualTo("application/json");
    assertThat(recorded.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(mapper.readTree(recorded.getBody().readUtf8()))
        .isEqualTo(mapper.readTree("{\"service\": \"api\", \"reason\": \"HighErrorRate\"}"));
  }

  @Test
  void stringBodyGoesAsTextUnlessTheTargetSetsAContentType() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(200));
    server.enqueue(new MockResponse().setResponseCode(200));

    action.execute(request(target(), with("method", "PUT", "path", "/flags/maintenance", "body", "on")));
    action.execute(request(target("headers.Content-Type", "application/x-www-form-urlencoded"),
        with("method", "PATCH", "path", "/scale", "body", "replicas=4")));

    RecordedRequest put = taken();
    assertThat(put.getMethod()).isEqualTo("PUT");
    assertThat(put.getHeader("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(put.getBody().readUtf8()).isEqualTo("on");
    assertThat(put.getHeader("Authorization")).isNull();
    RecordedRequest patch = taken();
    assertThat(patch.getMethod()).isEqualTo("PATCH");
    assertThat(patch.getHeader("Content-Type")).isEqualTo("application/x-www-form-urlencoded; charset=utf-8");
    assertThat(patch.getBody().readUtf8()).isEqualTo("replicas=4");
  }

  @Test
  void getAndDeleteAndHeadGoWithoutBodyAndPostWithAnEmptyOne() throws Exception {
    for (int i = 0; i < 4; i++) {
      server.enqueue(new MockResponse().setResponseCode(204));
    }

    for (String method : List.of("GET", "DELETE", "HEAD", "POST")) {
      assertThat(action.execute(request(target(), with("method", method, "path", "/cache?scope=all"))))
          .isInstanceOf(ActionResult.Succeeded.class);
    }

    for (String method : List.of("GET", "DELETE", "HEAD", "POST")) {
      RecordedRequest recorded = taken();
      assertThat(recorded.getMethod()).isEqualTo(method);
      assertThat(recorded.getPath()).isEqualTo("/api/v1/cache?scope=all");
      assertThat(recorded.getBodySize()).isZero();
    }
  }

  @Test
  void tokenFileIsReadAgainOnEachCall(@TempDir Path dir) throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "first\n");
    server.enqueue(new MockResponse().setResponseCode(200));
    server.enqueue(new MockResponse().setResponseCode(200));

    action.execute(request(target("token_file", token.toString()), with("method", "GET", "path", "/status")));
    Files.writeString(token, "rotated\n");
    action.execute(request(target("token_file", token.toString()), with("method", "GET", "path", "/status")));

    assertThat(taken().getHeader("Authorization")).isEqualTo("Bearer first");
    assertThat(taken().getHeader("Authorization")).isEqualTo("Bearer rotated");
  }

  @Test
  void unreadableTokenFileIsPermanentAndSendsNothing(@TempDir Path dir) throws Exception {
    ActionResult result = action.execute(request(target("token_file", dir.resolve("absent").toString()),
        with("method", "POST", "path", "/restart")));

    assertThat(result.message()).isEqualTo("target deployer: cannot read token_file " + dir.resolve("absent")
        + ": no such file");
    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://evil.example/steal", "//evil.example/steal", "/../../admin", "/services/%2e%2e/%2e%2e/admin",
      "/services/%252e%252e/admin", "/services\\..\\admin", "/services/api#x", "services/api"})
  void pathsThatTryToLeaveTheBaseUrlAreRefusedBeforeAnythingIsSent(String path) throws Exception {
    ActionResult result = action.execute(request(target("token", "t0ken"), with("method", "GET", "path", path)));

    assertThat(result).isInstanceOfSatisfying(ActionResult.Permanent.class, permanent -> {
      assertThat(permanent.reason()).startsWith("path \"" + path + "\" refused, nothing was sent: must ");
      assertThat(permanent.facts()).isEqualTo(with("method", "GET", "path", path));
    });
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aRenderedPathIsCheckedAgainEvenWhenItsTemplateWasFine() throws Exception {
    ActionResult result = action.execute(request(target(), with("method", "POST", "path", "/services/../../admin")));

    assertThat(result).isEqualTo(new ActionResult.Permanent("path \"/services/../../admin\" refused, nothing was sent:"
        + " must not contain a \".\" or \"..\" segment", null, with("method", "POST", "path", "/services/../../admin")));
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void baseUrlWithAQueryIsAPermanentTargetProblem() {
    Target target = new Target("deployer", TargetKind.HTTP, Map.of("base_url", server.url("/api?key=1").toString()));

    ActionResult result = execute(target, with("method", "GET", "path", "/status"));

    assertThat(result.message()).isEqualTo("target deployer: base_url must not have a query or a fragment");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void statusOutsideExpectIsPermanentWithAnExcerpt() {
    server.enqueue(new MockResponse().setResponseCode(200).setBody("already\n  restarting"));

    ActionResult result = execute(target(), with("method", "POST", "path", "/restart", "expect", List.of(202)));

    assertThat(result).isEqualTo(new ActionResult.Permanent(
        "POST /api/v1/restart answered HTTP 200, expected 202: already restarting", null,
        with("method", "POST", "path", "/api/v1/restart", "status", 200, "response", "already restarting")));
  }

  @Test
  void withoutExpectAny2xxSucceedsAndA4xxIsPermanent() {
    server.enqueue(new MockResponse().setResponseCode(204));
    server.enqueue(new MockResponse().setResponseCode(404).setBody("no such service"));

    assertThat(execute(target(), with("method", "DELETE", "path", "/sessions/idle")))
        .isInstanceOf(ActionResult.Succeeded.class);
    assertThat(execute(target(), with("method", "DELETE", "path", "/sessions/idle")).message())
        .isEqualTo("DELETE /api/v1/sessions/idle answered HTTP 404, expected a 2xx status: no such service");
  }

  @Test
  void serverErrorIsRetryableForIdempotentMethodsOnly() {
    server.enqueue(new MockResponse().setResponseCode(503).setBody("upstream down"));
    server.enqueue(new MockResponse().setResponseCode(503).setBody("upstream down"));

    assertThat(execute(target(), with("method", "PUT", "path", "/flags/maintenance", "body", "on")))
        .isEqualTo(new ActionResult.Retryable(
            "PUT /api/v1/flags/maintenance answered HTTP 503, expected a 2xx status: upstream down", null,
            ActionResult.Reached.IDEMPOTENT_REQUEST));
    assertThat(execute(target(), with("method", "POST", "path", "/restart")))
        .isEqualTo(new ActionResult.Permanent("POST /api/v1/restart answered HTTP 503, expected a 2xx status:"
            + " upstream down; POST is not repeated, the target may have acted", null,
            with("method", "POST", "path", "/api/v1/restart", "status", 503, "response", "upstream down")));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void tooManyRequestsIsRetryableForIdempotentMethodsOnly() {
    server.enqueue(new MockResponse().setResponseCode(429));
    server.enqueue(new MockResponse().setResponseCode(429));

    assertThat(execute(target(), with("method", "GET", "path", "/status"))).isInstanceOf(ActionResult.Retryable.class);
    assertThat(execute(target(), with("method", "PATCH", "path", "/scale", "body", Map.of("replicas", 4))))
        .isInstanceOf(ActionResult.Permanent.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "PUT", "DELETE", "HEAD", "POST", "PATCH"})
  void connectionRefusedIsRetryableForEveryMethodBecauseNothingWasSent(String method) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Target closed = new Target("deployer", TargetKind.HTTP, Map.of("base_url", "http://127.0.0.1:" + port + "/api"));

    ActionResult result = execute(closed, with("method", method, "path", "/restart"));

    assertThat(result).isInstanceOfSatisfying(ActionResult.Retryable.class, retryable -> {
      assertThat(retryable.reason()).isEqualTo("could not connect to target deployer for " + method
          + " /api/restart, nothing was sent: Failed to connect to /127.0.0.1:" + port);
      assertThat(retryable.cause()).isInstanceOf(ConnectException.class);
      assertThat(retryable.reached()).isEqualTo(ActionResult.Reached.NOTHING);
    });
  }

  @Test
  void postCutOffAfterSendingIsPermanentAndNeverResentEvenOnAReusedConnection() {
    server.enqueue(new MockResponse().setResponseCode(200));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(new MockResponse().setResponseCode(200));
    Map<String, Object> post = with("method", "POST", "path", "/restart", "body", Map.of("service", "api"));

    assertThat(execute(target(), post)).isInstanceOf(ActionResult.Succeeded.class);
    ActionResult result = execute(target(), post);

    assertThat(result).isInstanceOfSatisfying(ActionResult.Permanent.class, permanent -> assertThat(permanent.reason())
        .startsWith("POST /api/v1/restart to target deployer failed after the request may have reached it: ")
        .endsWith("; POST is not repeated, the target may have acted"));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void getCutOffAfterSendingIsRetryable() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));

    ActionResult result = execute(target(), with("method", "GET", "path", "/status"));

    assertThat(result).isInstanceOfSatisfying(ActionResult.Retryable.class, retryable ->
        assertThat(retryable.reason()).startsWith("GET /api/v1/status to target deployer failed: "));
  }

  @Test
  void timeoutBoundsTheWholeCall() {
    server.enqueue(new MockResponse().setResponseCode(200).setHeadersDelay(3, TimeUnit.SECONDS));

    ActionResult result = execute(target(), with("method", "POST", "path", "/restart", "timeout", "1s"));

    assertThat(result).isInstanceOfSatisfying(ActionResult.Permanent.class, permanent -> assertThat(permanent.reason())
        .startsWith("POST /api/v1/restart to target deployer failed after the request may have reached it: "));
  }

  @Test
  void redirectsAreNotFollowed() {
    server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "https://evil.example/"));

    ActionResult result = execute(target("token", "t0ken"), with("method", "GET", "path", "/status"));

    assertThat(result.message()).isEqualTo("GET /api/v1/status answered HTTP 302, expected a 2xx status");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void tokenAndSecretHeadersEchoedByTheTargetAreMasked() {
    server.enqueue(new MockResponse().setResponseCode(400)
        .setBody("bad token t0ken-s3cret with key k3y-v4lue for application/json"));

    ActionResult result = execute(target("token", "t0ken-s3cret", "headers.X-Api-Key", "k3y-v4lue",
        "headers.Content-Type", "application/json"), with("method", "GET", "path", "/status"));

    assertThat(result.message())
        .isEqualTo("GET /api/v1/status answered HTTP 400, expected a 2xx status: bad token *** with key ***"
            + " for application/json");
    assertThat(result.facts().get("response")).isEqualTo("bad token *** with key *** for application/json");
  }

  @Test
  void longBodiesAreCutInTheFacts() {
    server.enqueue(new MockResponse().setResponseCode(200).setBody("y".repeat(5000)));

    ActionResult result = execute(target(), with("method", "GET", "path", "/status"));

    assertThat(result.facts().get("response")).isEqualTo("y".repeat(200) + "...");
  }

  @Test
  void invalidParametersArePermanentAndSendNothing() {
    ActionResult result = execute(target(), with("method", "FETCH", "path", "/x", "expect", List.of("ok")));

    assertThat(result).isEqualTo(new ActionResult.Permanent("invalid parameters: method must be one of GET, POST, PUT,"
        + " PATCH, DELETE, HEAD, but was \"FETCH\"; expect[0] must be an HTTP status code from 100 to 599,"
        + " but was \"ok\"", null));
    assertThat(server.getRequestCount()).isZero();
  }

  private ActionResult execute(Target target, Map<String, Object> with) {
    try {
      return action.execute(request(target, with));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
