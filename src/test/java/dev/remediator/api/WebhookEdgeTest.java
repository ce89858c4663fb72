package dev.remediator.api;

import static dev.remediator.api.WebhookApiTest.BEARER;
import static dev.remediator.api.WebhookApiTest.OPERATOR;
import static dev.remediator.api.WebhookApiTest.TOKEN;
import static dev.remediator.api.WebhookApiTest.alert;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.testing.RunningApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The edge of the HTTP API: strict input, roles checked before the handler, 405s, refusals counted and logged. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookEdgeTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String UTF8_REASON =
      "must be valid UTF-8 (found an overlong or malformed byte sequence, or a lone surrogate)";

  @TempDir
  static Path dir;
  RunningApp app;
  final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(20)).build();
  final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeAll
  void start() throws IOException {
    app = RunningApp.start(dir, WebhookApiTest.rules(Files.createDirectories(dir.resolve("markers"))), Optional.empty(),
        Optional.of(TOKEN), Optional.of("operator-token"), false, Map.of());
    logged.start();
    ((Logger) LoggerFactory.getLogger("dev.remediator.webhook")).addAppender(logged);
  }

  @AfterAll
  void stop() {
    ((Logger) LoggerFactory.getLogger("dev.remediator.webhook")).detachAppender(logged);
    app.close();
    http.dispatcher().executorService().shutdown();
  }

  record Reply(int status, JsonNode body, String allow) {}

  Reply call(String method, String path, byte[] body, String authorization) throws IOException {
    Request.Builder request = new Request.Builder().url(app.url(path))
        .method(method, body == null ? null : RequestBody.create(body, MediaType.get("application/json")));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try (Response response = http.newCall(request.build()).execute()) {
      return new Reply(response.code(), JSON.readTree(response.body().string()), response.header("Allow"));
    }
  }

  Reply webhook(byte[] body) throws IOException {
    return call("POST", "/webhook", body, BEARER);
  }

  static void assertError(Reply reply, int status, String field, String reason) {
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(status);
    assertThat(reply.body()).isEqualTo(JSON.createObjectNode().put("status", status).put("field", field)
        .put("reason", reason));
  }

  @Test
  void aSecondAlertsKeyIsRefusedRatherThanReplacingTheFirst() throws IOException {
    String good = alert("00000000000003a1", "edge-dup", "2026-11-22T19:00:00Z");
    String twice = good.substring(0, good.length() - 1) + ",\"alerts\":[]}";

    assertError(webhook(twice.getBytes(StandardCharsets.UTF_8)), 400, "alerts",
        "appears more than once in the same object");
    assertError(webhook(good.replace("\"severity\":\"critical\"", "\"severity\":\"critical\",\"severity\":\"page\"")
        .getBytes(StandardCharsets.UTF_8)), 400, "alerts[0].labels.severity", "appears more than once in the same object");
    assertThat(app.rows("select count(*) from alert where fingerprint = '00000000000003a1'")).containsExactly("0");
  }

  @Test
  void overlongUtf8AndLoneSurrogatesAreRefusedWithTheFieldPath() throws IOException {
    String good = alert("00000000000003b1", "edge-utf", "2026-11-22T19:00:00Z");
    ByteArrayOutputStream overlong = new ByteArrayOutputStream();
    String[] halves = good.split("edge-utf");
    overlong.write(halves[0].getBytes(StandardCharsets.UTF_8));
    overlong.write(new byte[] {'a', (byte) 0xc1, (byte) 0xbf});   // overlong form of '\u007f'
    overlong.write(halves[1].getBytes(StandardCharsets.UTF_8));
    byte[] encodedSurrogate = good.replace("edge-utf", "a\u0000b").getBytes(StandardCharsets.UTF_8);
    int nul = indexOf(encodedSurrogate, (byte) 0);
    byte[] withSurrogate = new byte[encodedSurrogate.length + 2];
    System.arraycopy(encodedSurrogate, 0, withSurrogate, 0, nul);
    withSurrogate[nul] = (byte) 0xed;   // U+D800 encoded as UTF-8, which UTF-8 forbids
    withSurrogate[nul + 1] = (byte) 0xa0;
    withSurrogate[nul + 2] = (byte) 0x80;
    System.arraycopy(encodedSurrogate, nul + 1, withSurrogate, nul + 3, encodedSurrogate.length - nul - 1);

    assertError(webhook(overlong.toByteArray()), 400, "alerts[0].labels.service", UTF8_REASON);
    assertError(webhook(withSurrogate), 400, "alerts[0].labels.service", UTF8_REASON);
    assertError(webhook(good.replace("\"annotations\":{}", "\"annotations\":{\"summary\":\"x\\ud800y\"}")
        .getBytes(StandardCharsets.UTF_8)), 400, "alerts[0].annotations.summary", UTF8_REASON);
    assertError(webhook(good.replace("\"receiver\":\"remediator\"", "\"extra\":\"\\udc00\",\"receiver\":\"remediator\"")
        .getBytes(StandardCharsets.UTF_8)), 400, "extra", UTF8_REASON);
    assertThat(webhook(good.replace("edge-utf", "edge-\uD83D\uDE00").getBytes(StandardCharsets.UTF_8)).status())
        .isEqualTo(200);
  }

  @Test
  void wrongMethodOnAKnownPathIs405WithAllow() throws IOException {
    Reply get = call("GET", "/webhook", null, BEARER);
    Reply delete = call("DELETE", "/-/ready", null, null);

    assertError(get, 405, "", "method GET not allowed on /webhook");
    assertThat(get.allow()).isEqualTo("POST");
    assertThat(delete.status()).isEqualTo(405);
    assertThat(delete.allow()).isEqualTo("GET");
    assertThat(call("GET", "/nope", null, null).status()).isEqualTo(404);
  }

  @Test
  void rolesAreCheckedBeforeTheHandler() throws IOException {
    byte[] body = alert("00000000000003c1", "edge-roles", "2026-11-22T19:00:00Z").getBytes(StandardCharsets.UTF_8);

    assertError(call("POST", "/webhook", body, null), 401, "", "missing or wrong credentials");
    assertError(call("POST", "/webhook", body, OPERATOR), 403, "", "this credential does not grant access to /webhook");
    assertError(call("POST", "/-/reload", new byte[0], BEARER), 403, "",
        "this credential does not grant access to /-/reload");
    assertError(call("POST", "/-/reload", new byte[0], "Bearer nope"), 401, "", "missing or wrong operator credentials");
    assertThat(call("GET", "/-/healthy", null, null).status()).isEqualTo(200);
    assertThat(app.rows("select count(*) from alert where fingerprint = '00000000000003c1'")).containsExactly("0");
  }

  @Test
  void refusedWebhooksAreCountedByCodeAndLoggedWithoutTheBody() throws IOException {
    String secret = "body-secret-" + System.nanoTime();
    call("POST", "/webhook", ("{\"version\":\"4\",\"" + secret + "\":").getBytes(StandardCharsets.UTF_8), BEARER);
    call("POST", "/webhook", secret.getBytes(StandardCharsets.UTF_8), "Bearer wrong");

    String metrics = app.get("/metrics").body();
    assertThat(metrics).contains("remediator_webhook_rejected_total{code=\"400\"}", 
        "remediator_webhook_rejected_total{code=\"401\"}");
    assertThat(logged.list).anySatisfy(event -> {
      assertThat(event.getLevel().toString()).isEqualTo("WARN");
      assertThat(event.getFormattedMessage()).startsWith("webhook from 127.0.0.1 refused with 401: "
          + "missing or wrong credentials");
    });
    assertThat(logged.list).allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain(secret));
  }

  private static int indexOf(byte[] bytes, byte value) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
