package dev.remediator.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The health probe of http_get verifications, against a MockWebServer standing for the service's endpoint. */
class HttpProbeTest {
  private final OkHttpClient http = new OkHttpClient();
  private final MockWebServer service = new MockWebServer();
  private final HttpProbe probe = new HttpProbe(() -> http, Duration.ofSeconds(5));

  @BeforeEach
  void start() throws IOException {
    service.start();
  }

  @AfterEach
  void stop() throws IOException {
    service.shutdown();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Test
  void answersTheStatusOfAGet() throws Exception {
    service.enqueue(new MockResponse().setResponseCode(503).setBody("warming up"));

    HttpProbe.Answer answer = probe.get(service.url("/healthz?deep=1").uri());

    assertThat(answer).isEqualTo(new HttpProbe.Answer(503, null));
    assertThat(answer).hasToString("HTTP 503");
    assertThat(service.takeRequest().getRequestLine()).isEqualTo("GET /healthz?deep=1 HTTP/1.1");
  }

  @Test
  void aRedirectIsTheAnswerNotWhereItPoints() throws Exception {
    service.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", service.url("/login")));

    assertThat(probe.get(service.url("/healthz").uri()).status()).isEqualTo(302);
    assertThat(service.getRequestCount()).isEqualTo(1);
  }

  @Test
  void anUnreachableEndpointIsNoAnswerSayingWhy() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    HttpProbe.Answer answer = probe.get(URI.create("http://127.0.0.1:" + port + "/healthz"));

    assertThat(answer.answered()).isFalse();
    assertThat(answer.toString()).startsWith("unreachable: ");
  }
}
