package dev.remediator.action.notify;

import static dev.remediator.action.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.action.ActionResult;
import dev.remediator.action.Requests;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.resilience.RetryPolicy;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifyActionTest {
  private final ObjectMapper mapper = new ObjectMapper();
  private final NotifyAction action = new NotifyAction(new OkHttpClient(), mapper);
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
    Map<String, String> map = new HashMap<>(Labels.of(settings).asMap());
    map.put("url", server.url("/hooks/T0/B0/s3cret").toString());
    return new Target("oncall", TargetKind.WEBHOOK, map);
  }

  @Test
  void tokenFileIsSentAsBearerAndReadAgainOnEachCall(@TempDir Path dir) throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "first\n");
    server.enqueue(new MockResponse().setResponseCode(200));
    server.enqueue(new MockResponse().setResponseCode(200));

    action.execute(request(target("token_file", token.toString()), Map.of()));
    Files.writeString(token, "rotated\n");
    action.execute(request(target("token_file", token.toString()), Map.of()));

    assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Bearer first");
    assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Bearer rotated");
  }

  @Test
  void unreadableTokenFileIsPermanentAndSendsNothing(@TempDir Path dir) throws Exception {
    ActionResult result = action.execute(request(target("token_file", dir.resolve("absent").toString()), Map.of()));

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(((ActionResult.Permanent) result).reason())
        .isEqualTo("target oncall: cannot read token_file " + dir.resolve("absent") + ": no such file");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void jsonFormatPostsTheGenericDocument() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(200));

    ActionResult result = action.execute(request(target(), Map.of("text", "Error budget burning fast on api")));

    assertThat(result).isEqualTo(new ActionResult.Succeeded("HTTP 200"));
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.getMethod()).isEqualTo("POST");
    assertThat(recorded.getPath()).isEqualTo("/hooks/T0/B0/s3cret");
    assertThat(recorded.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(recorded.getHeader("Authorization")).isNull();
    assertThat(mapper.readTree(recorded.getBody().readUtf8())).isEqualTo(mapper.readTree("""
        {
          "text": "Error budget burning fast on api",
          "rule": "restart-api",
          "remediationId": 42,
          "alert": {
            "status": "firing",
            "labels": {"alertname": "HighErrorRate", "service": "api", "severity": "critical"},
            "annotations": {"summary": "5xx ratio above 5% for 10m"},
            "startsAt": "2020-01-01T12:00:00Z",
            "endsAt": null,
            "fingerprint": "c0ffee0000000001",
            "generatorURL": "http://prometheus:9090/graph?g0.expr=x"
          }
        }
        """));
  }

  @Test
  void defaultTextNamesTheAlertItsSummaryAndTheRule() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(204));

    ActionResult result = action.execute(request(target("format", "slack"), Map.of()));

    assertThat(result).isEqualTo(new ActionResult.Succeeded("HTTP 204"));
    assertThat(mapper.readTree(server.takeRequest().getBody().readUtf8())).isEqualTo(mapper.readTree("""
        {"text": "[remediator] HighErrorRate firing: 5xx ratio above 5% for 10m (rule restart-api)"}
        """));
  }

  @Test
  void slackFormatEscapesMarkupSoLabelsCannotMentionOrLink() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(200));

    action.execute(request(target("format", "slack"), Map.of("text", "<!channel> <http://evil|api> & co")));

    assertThat(mapper.readTree(server.takeRequest().getBody().readUtf8())).isEqualTo(mapper.readTree("""
        {"text": "&lt;!channel&gt; &lt;http://evil|api&gt; &amp; co"}
        """));
  }

  @Test
  void sendsTheTargetTokenAsBearer() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(200));

    action.execute(request(target("token", "t0ken"), Map.of()));

    assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Bearer t0ken");
  }

  @Test
  void sendPostsAnEscalationAboutAResolvedAlert() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(200));
    Alert resolved = new Alert(AlertStatus.RESOLVED, Labels.of("alertname", "WorkerQueueBacklog"), Labels.EMPTY,
        Requests.STARTS_AT, Optional.of(Instant.parse("2020-01-01T12:30:00Z")), null, "00000000000000ff");

    ActionResult result = action.send(target(), "escalating: breaker open", resolved, "scale-workers", 7);

    assertThat(result).isEqualTo(new ActionResult.Succeeded("HTTP 200"));
    assertThat(mapper.readTree(server.takeRequest().getBody().readUtf8())).isEqualTo(mapper.readTree("""
        {
          "text": "escalating: breaker open",
          "rule": "scale-workers",
          "remediationId": 7,
          "alert": {
            "status": "resolved",
            "labels": {"alertname": "WorkerQueueBacklog"},
            "annotations": {},
            "startsAt": "2020-01-01T12:00:00Z",
            "endsAt": "2020-01-01T12:30:00Z",
            "fingerprint": "00000000000000ff",
            "generatorURL": ""
          }
        }
        """));
  }

  @Test
  void serverErrorMayHaveBeenDeliveredSoTheRetryPolicyDoesNotRepeatIt() {
    server.enqueue(new MockResponse().setResponseCode(500).setBody("upstream\n  down"));

    ActionResult result = action.execute(request(target(), Map.of()));

    assertThat(result).isEqualTo(
        new ActionResult.Retryable("HTTP 500: upstream down", null, ActionResult.Reached.MAYBE_ACTED));
    assertThat(RetryPolicy.safe("notify", ((ActionResult.Retryable) result).reached())).isFalse();
  }

  @Test
  void tooManyRequestsMayHaveBeenDeliveredSoTheRetryPolicyDoesNotRepeatIt() {
    server.enqueue(new MockResponse().setResponseCode(429).setBody("rate_limited"));

    ActionResult result = action.execute(request(target(), Map.of()));

    assertThat(result).isEqualTo(
        new ActionResult.Retryable("HTTP 429: rate_limited", null, ActionResult.Reached.MAYBE_ACTED));
    assertThat(RetryPolicy.safe("notify", ((ActionResult.Retryable) result).reached())).isFalse();
  }

  @Test
  void cutOffAfterSendingMayHaveBeenDeliveredAndIsNotResent() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(new MockResponse().setResponseCode(200));

    ActionResult result = action.execute(request(target(), Map.of()));

    assertThat(result).isInstanceOfSatisfying(ActionResult.Retryable.class, retryable -> {
      assertThat(retryable.reached()).isEqualTo(ActionResult.Reached.MAYBE_ACTED);
      assertThat(retryable.reason()).startsWith("webhook oncall failed after the message may have been delivered: ");
    });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void badRequestIsPermanentWithTheBody() {
    server.enqueue(new MockResponse().setResponseCode(400).setBody("invalid_payload"));

    assertThat(action.execute(request(target(), Map.of())))
        .isEqualTo(new ActionResult.Permanent("HTTP 400: invalid_payload", null));
  }

  @Test
  void longErrorBodiesAreCutShort() {
    server.enqueue(new MockResponse().setResponseCode(404).setBody("x".repeat(5000)));

    assertThat(action.execute(request(target(), Map.of())))
        .isEqualTo(new ActionResult.Permanent("HTTP 404: " + "x".repeat(200) + "...", null));
  }

  @Test
  void redirectsAreNotFollowed() {
    server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "/elsewhere"));

    assertThat(action.execute(request(target("token", "t0ken"), Map.of())))
        .isEqualTo(new ActionResult.Permanent("HTTP 302", null));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void connectionRefusedIsRetryable() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Target closed = new Target("oncall", TargetKind.WEBHOOK, Map.of("url", "http://127.0.0.1:" + port + "/hook"));

    ActionResult result = action.execute(request(closed, Map.of()));

    assertThat(result).isInstanceOfSatisfying(ActionResult.Retryable.class, retryable -> {
      assertThat(retryable.reason())
          .isEqualTo("could not reach webhook oncall, nothing was sent: Failed to connect to /127.0.0.1:" + port);
      assertThat(retryable.cause()).isInstanceOf(ConnectException.class);
      assertThat(retryable.reached()).isEqualTo(ActionResult.Reached.NOTHING);
      assertThat(RetryPolicy.safe("notify", retryable.reached())).isTrue();
    });
  }

  @Test
  void misconfiguredTargetIsPermanentWithoutCallingOut() {
    Target noUrl = new Target("oncall", TargetKind.WEBHOOK, Map.of("format", "xml"));

    assertThat(action.execute(request(noUrl, Map.of()))).isEqualTo(new ActionResult.Permanent(
        "target oncall: url is required; format must be slack or json, but was \"xml\"", null));
  }

  @Test
  void invalidParametersArePermanent() {
    assertThat(action.execute(request(target(), Map.of("text", 42))))
        .isEqualTo(new ActionResult.Permanent("invalid parameters: text must be a string, but was 42", null));
    assertThat(server.getRequestCount()).isZero();
  }
}
