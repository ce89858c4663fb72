package dev.remediator.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.config.Redaction;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Evaluates one PromQL expression to one number through Prometheus's instant query API
 * ({@code GET /api/v1/query?query=...&time=...}). Guards and verifications compare a single
 * value, so only a scalar or a vector of exactly one sample is an answer; anything else (no
 * series, several, NaN, a range vector, an error answer) is a {@link PrometheusException} that
 * names why. Every call is bounded by this client's deadline.
 *
 * <p>The answer is the API's envelope {@code {"status": "success"|"error", "data": {"resultType":
 * ..., "result": ...}, "errorType": ..., "error": ...}}: a scalar's result is
 * {@code [<unix time>, "<value>"]}, a vector's a list of {@code {"metric": {...}, "value": [<unix
 * time>, "<value>"]}}, and values are strings that may read {@code NaN}, {@code +Inf} or
 * {@code -Inf}.
 */
public final class PrometheusClient {
  private static final int EXCERPT = 300;

  private final Supplier<OkHttpClient> http;
  private final ObjectMapper json;
  private final HttpUrl base;
  /** The base URL as messages show it, with any password masked. */
  private final String shown;
  private final Duration deadline;

  /**
   * @param http the shared client, derived here with {@code deadline} as connect, read and call timeout
   * @param baseUrl Prometheus's base URL, e.g. {@code http://prometheus:9090} (a path prefix is kept)
   */
  public PrometheusClient(Supplier<OkHttpClient> http, ObjectMapper json, String baseUrl, Duration deadline) {
    this.http = Objects.requireNonNull(http, "http");
    this.json = Objects.requireNonNull(json, "json");
    this.base = parse(baseUrl);
    this.shown = Redaction.url(base.toString());
    this.deadline = Objects.requireNonNull(deadline, "deadline");
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive, but was " + deadline);
    }
  }

  /** This client with another deadline, e.g. a guard's shorter one. */
  public PrometheusClient withDeadline(Duration shorter) {
    return new PrometheusClient(http, json, base.toString(), shorter);
  }

  /** Parses REMEDIATOR_PROMETHEUS_URL; throws IllegalArgumentException naming what is wrong with it. */
  private static HttpUrl parse(String baseUrl) {
    HttpUrl url = HttpUrl.parse(Objects.requireNonNull(baseUrl, "baseUrl").trim());
    if (url == null) {
      throw new IllegalArgumentException("REMEDIATOR_PROMETHEUS_URL must be an http or https URL such as "
          + "http://prometheus:9090, but was \"" + baseUrl + "\"");
    }
    return url;
  }

  /** The value of {@code promql} evaluated at {@code at}. */
  public double query(String promql, Instant at) throws PrometheusException, InterruptedException {
    HttpUrl url = base.newBuilder()
        .addPathSegments("api/v1/query")
        .addQueryParameter("query", promql)
        .addQueryParameter("time", unixTime(at))
        .build();
    OkHttpClient client = http.get().newBuilder()
        .connectTimeout(deadline)
        .readTimeout(deadline)
        .callTimeout(deadline)
        .build();
    Request request = new Request.Builder().url(url).get().header("Accept", "application/json").build();
    String body;
    int status;
    try (Response response = client.newCall(request).execute()) {
      status = response.code();
      ResponseBody responseBody = response.body();
      body = responseBody == null ? "" : responseBody.string();
    } catch (InterruptedIOException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("interrupted while querying Prometheus");
      }
      throw PrometheusException.unreachable("Prometheus at " + shown + " did not answer within "
          + deadline.toMillis() + " ms", e);
    } catch (IOException e) {
      throw PrometheusException.unreachable("Prometheus at " + shown + " is unreachable: " + e.getMessage(), e);
    }
    return value(status, body);
  }

  /** The one number in an answer of HTTP {@code status} with {@code body}. */
  double value(int status, String body) throws PrometheusException {
    JsonNode answer;
    try {
      answer = json.readTree(body);
    } catch (IOException e) {
      answer = null;
    }
    if (answer == null || !answer.isObject()) {
      throw PrometheusException.unusable("Prometheus answered HTTP " + status + " without a JSON answer: "
          + excerpt(body));
    }
    if (!"success".equals(answer.path("status").asText())) {
      throw PrometheusException.unusable("Prometheus answered HTTP " + status + ", "
          + answer.path("errorType").asText("error") + ": " + answer.path("error").asText(excerpt(body)));
    }
    JsonNode data = answer.path("data");
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    switch (type) {
      case "scalar":
        return sample(result, "the scalar");
      case "vector":
        if (result.size() == 0) {
          throw PrometheusException.unusable("the query returned no series (an empty vector)");
        }
        if (result.size() > 1) {
          throw PrometheusException.unusable("the query returned " + result.size()
              + " series, but a guard or check needs exactly one; aggregate them, e.g. with sum(...) or max(...)");
        }
        return sample(result.get(0).path("value"), "the series " + result.get(0).path("metric"));
      case "matrix":
        throw PrometheusException.unusable("the query returned a range vector; a guard or check needs an instant"
            + " value, e.g. wrap it in max_over_time(...)");
      default:
        throw PrometheusException.unusable("the query returned a " + (type.isEmpty() ? "result without a type" : type)
            + ", not a number");
    }
  }

  /** The value of a {@code [<unix time>, "<value>"]} pair; NaN is not an answer. */
  private static double sample(JsonNode pair, String what) throws PrometheusException {
    String text = pair.path(1).asText("");
    double value;
    switch (text) {
      case "+Inf", "Inf" -> value = Double.POSITIVE_INFINITY;
      case "-Inf" -> value = Double.NEGATIVE_INFINITY;
      default -> {
        try {
          value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw PrometheusException.unusable(what + " has no number as its value: " + excerpt(pair.toString()));
        }
      }
    }
    if (Double.isNaN(value)) {
      throw PrometheusException.unusable(what + " is NaN (no value to compare)");
    }
    return value;
  }

  /** Seconds since the epoch with millisecond precision, as the API takes {@code time}. */
  static String unixTime(Instant at) {
    return BigDecimal.valueOf(at.toEpochMilli()).movePointLeft(3).toPlainString();
  }

  private static String excerpt(String text) {
    String flat = text.replaceAll("\\s+", " ").trim();
    return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT) + "...";
  }
}
