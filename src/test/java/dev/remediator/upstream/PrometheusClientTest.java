package dev.remediator.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.testing.PrometheusProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus client against a real Prometheus, which evaluates constant expressions without
 * any scraped data: what each answer shape reads as, and the reason given when there is no one
 * number to compare.
 */
class PrometheusClientTest {
  private static final Instant AT = Instant.parse("2026-11-22T10:00:00.250Z");
  private static final OkHttpClient HTTP = new OkHttpClient();
  private static PrometheusProcess prometheus;
  private static PrometheusClient client;

  @BeforeAll
  static void startPrometheus() {
    prometheus = PrometheusProcess.start("global: {evaluation_interval: 1m}\n", Map.of());
    client = new PrometheusClient(() -> HTTP, new ObjectMapper(), prometheus.url().toString(), Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopPrometheus() {
    prometheus.close();
    HTTP.dispatcher().executorService().shutdown();
    HTTP.connectionPool().evictAll();
  }

  private static PrometheusException failure(String promql) {
    return catchThrowableOfType(() -> client.query(promql, AT), PrometheusException.class);
  }

  @Test
  void aVectorOfOneSampleIsItsValue() throws Exception {
    assertThat(client.query("vector(0.5)", AT)).isEqualTo(0.5);
    assertThat(client.query("sum(vector(0.25) or vector(2))", AT)).isEqualTo(0.25);
  }

  @Test
  void aScalarIsItsValue() throws Exception {
    assertThat(client.query("1 + 1", AT)).isEqualTo(2.0);
    assertThat(client.query("scalar(vector(-3))", AT)).isEqualTo(-3.0);
  }

  @Test
  void theQueryIsEvaluatedAtTheGivenTime() throws Exception {
    assertThat(client.query("time()", AT)).isEqualTo(AT.toEpochMilli() / 1000.0);
    assertThat(PrometheusClient.unixTime(AT)).isEqualTo("1795341600.250");
  }

  @Test
  void infinityIsAValueToCompare() throws Exception {
    assertThat(client.query("vector(1) / 0", AT)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(client.query("vector(-1) / 0", AT)).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void anEmptyVectorSaysThereIsNoSeries() {
    PrometheusException e = failure("vector(1) > 2");

    assertThat(e).hasMessage("the query returned no series (an empty vector)");
    assertThat(e.unreachable()).isFalse();
  }

  @Test
  void severalSeriesAskForAnAggregation() {
    assertThat(failure("label_replace(vector(1), \"instance\", \"a\", \"\", \"\")"
        + " or label_replace(vector(2), \"instance\", \"b\", \"\", \"\")"))
        .hasMessage("the query returned 2 series, but a guard or check needs exactly one; aggregate them, e.g. with"
            + " sum(...) or max(...)");
  }

  @Test
  void notANumberIsNoAnswer() {
    assertThat(failure("vector(0) / 0")).hasMessage("the series {} is NaN (no value to compare)");
    assertThat(failure("0 / 0")).hasMessage("the scalar is NaN (no value to compare)");
  }

  @Test
  void aRangeVectorOrAStringIsNotANumber() {
    assertThat(failure("vector(1)[5m:1m]")).hasMessageStartingWith("the query returned a range vector;");
    assertThat(failure("\"text\"")).hasMessage("the query returned a string, not a number");
  }

  @Test
  void anErrorAnswerCarriesPrometheusReason() {
    PrometheusException e = failure("sum(");

    assertThat(e.getMessage()).startsWith("Prometheus answered HTTP 400, bad_data: ").contains("parse error");
    assertThat(e.unreachable()).isFalse();
  }

  @Test
  void anUnreachablePrometheusIsSaidToBeUnreachable() throws IOException {
    String url = "http://127.0.0.1:" + closedPort();
    PrometheusClient nowhere = new PrometheusClient(() -> HTTP, new ObjectMapper(), url, Duration.ofSeconds(2));

    PrometheusException e = catchThrowableOfType(() -> nowhere.query("vector(1)", AT), PrometheusException.class);

    assertThat(e.unreachable()).isTrue();
    assertThat(e.getMessage()).startsWith("Prometheus at " + url + "/ is unreachable: ");
  }

  @Test
  void aPasswordInTheUrlIsNotRepeatedInReasons() throws IOException {
    String url = "http://remediator:s3cret@127.0.0.1:" + closedPort();
    PrometheusClient nowhere = new PrometheusClient(() -> HTTP, new ObjectMapper(), url, Duration.ofSeconds(2));

    PrometheusException e = catchThrowableOfType(() -> nowhere.query("vector(1)", AT), PrometheusException.class);

    assertThat(e.getMessage()).startsWith("Prometheus at http://remediator:***@127.0.0.1:").doesNotContain("s3cret");
  }

  /** A loopback port nothing listens on: bound once, then let go. */
  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aBaseUrlWithATrailingSlashOrAPathPrefixIsKept() throws Exception {
    PrometheusClient slash = new PrometheusClient(() -> HTTP, new ObjectMapper(), prometheus.url() + "/",
        Duration.ofSeconds(5));
    assertThat(slash.query("vector(7)", AT)).isEqualTo(7.0);

    PrometheusClient prefixed = new PrometheusClient(() -> HTTP, new ObjectMapper(), prometheus.url() + "/behind/proxy",
        Duration.ofSeconds(5));
    assertThat(catchThrowableOfType(() -> prefixed.query("vector(7)", AT), PrometheusException.class))
        .as("the prefix is asked for, and this Prometheus has none")
        .hasMessageStartingWith("Prometheus answered HTTP 404 without a JSON answer");
  }
}
