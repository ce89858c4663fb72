package dev.remediator.action.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.action.kubernetes.KubeException.Reason;
import dev.remediator.rules.PromDuration;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;

/**
 * The few API calls the kubernetes actions make, written out (method, path, content type, body)
 * and sent on the target's fabric8 HTTP client, which adds its credentials. Each call is bounded
 * by what is left of the action's time limit. fabric8's own retries are off (see
 * {@link ClusterConnection}): whether a failed call may be repeated is the action's decision.
 */
final class KubeApi {
  static final String JSON = "application/json";
  static final String JSON_PATCH = "application/json-patch+json";
  static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  private static final Duration ANSWER_GRACE = Duration.ofSeconds(5);
  private static final int EXCERPT_CHARS = 300;

  private final ClusterConnection connection;
  private final ObjectMapper json;
  private final Deadline deadline;

  KubeApi(ClusterConnection connection, ObjectMapper json, Deadline deadline) {
    this.connection = connection;
    this.json = json;
    this.deadline = deadline;
  }

  Deadline deadline() {
    return deadline;
  }

  JsonNode get(String path) throws KubeException, InterruptedException {
    return send("GET", url(path), null, null);
  }

  /** The objects at collection {@code path} that match {@code labelSelector}. */
  JsonNode list(String path, String labelSelector) throws KubeException, InterruptedException {
    String url = HttpUrl.get(url(path)).newBuilder().addQueryParameter("labelSelector", labelSelector).build().toString();
    return send("GET", url, null, null);
  }

  JsonNode patch(String path, String contentType, JsonNode body) throws KubeException, InterruptedException {
    return send("PATCH", url(path), contentType, body);
  }

  JsonNode put(String path, JsonNode body) throws KubeException, InterruptedException {
    return send("PUT", url(path), JSON, body);
  }

  private String url(String path) {
    return connection.apiBase() + path;
  }

  private JsonNode send(String method, String url, String contentType, JsonNode body)
      throws KubeException, InterruptedException {
    Duration left = deadline.remaining();
    if (left.isZero()) {
      throw new KubeException(Reason.TIMED_OUT, "no time left of the " + PromDuration.format(deadline.limit())
          + " timeout", null);
    }
    HttpRequest.Builder request = connection.http().newHttpRequestBuilder()
        .uri(url)
        .header("Accept", JSON)
        .timeout(left.toMillis(), TimeUnit.MILLISECONDS);
    if (body != null) {
      try {
        request.method(method, contentType, json.writeValueAsString(body));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write a request body", e);
      }
    }
    CompletableFuture<HttpResponse<String>> call = null;
    HttpResponse<String> response;
    try {
      call = connection.http().sendAsync(request.build(), String.class);
      response = call.get(left.plus(ANSWER_GRACE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new KubeException(Reason.TIMED_OUT, "no answer within " + PromDuration.format(left), e);
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    } catch (RuntimeException e) {
      throw failure(e);
    }
    return answer(response);
  }

  private JsonNode answer(HttpResponse<String> response) throws KubeException {
    int code = response.code();
    String text = response.body() == null ? "" : response.body();
    if (code >= 200 && code < 300) {
      try {
        return json.readTree(text);
      } catch (JsonProcessingException e) {
        throw new KubeException(Reason.BAD_ANSWER, "HTTP " + code + " with a body that is not JSON", e);
      }
    }
    Reason reason = switch (code) {
      case 401 -> Reason.UNAUTHORIZED;
      case 403 -> Reason.FORBIDDEN;
      case 404 -> Reason.NOT_FOUND;
      case 409 -> Reason.CONFLICT;
      case 422 -> Reason.INVALID;
      case 429 -> Reason.SERVER_ERROR;
      default -> code >= 500 ? Reason.SERVER_ERROR : Reason.REJECTED;
    };
    String message = statusMessage(text);
    throw new KubeException(reason, connection.redact("HTTP " + code + (message.isEmpty() ? "" : ": " + message)), null);
  }

  /** The message of a Kubernetes Status answer, else the start of the body, on one line. */
  private String statusMessage(String text) {
    String message = text;
    try {
      JsonNode status = json.readTree(text);
      if (status != null && status.path("message").isTextual()) {
        message = status.path("message").asText();
      }
    } catch (JsonProcessingException e) {
      // Not a Status object: quote the body as it is.
    }
    message = message.replaceAll("\\s+", " ").strip();
    return message.length() > EXCERPT_CHARS ? message.substring(0, EXCERPT_CHARS) + "..." : message;
  }

  private KubeException failure(Throwable thrown) {
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      if (cause instanceof TokenFile.Unreadable unreadable) {
        return new KubeException(Reason.CREDENTIALS, unreadable.getMessage(), thrown);
      }
      if (cause instanceof ConnectException || cause instanceof UnknownHostException
          || cause instanceof NoRouteToHostException
          || (cause instanceof SocketTimeoutException && String.valueOf(cause.getMessage()).startsWith("connect"))) {
        return new KubeException(Reason.UNREACHABLE, connection.redact("cannot reach the API server at "
            + connection.apiBase() + ": " + describe(cause)), thrown);
      }
      if (cause instanceof SSLException) {
        return new KubeException(Reason.TLS, connection.redact("TLS with the API server at " + connection.apiBase()
            + " failed: " + describe(cause)), thrown);
      }
      if (cause instanceof InterruptedIOException || cause instanceof TimeoutException) {
        return new KubeException(Reason.TIMED_OUT, "no answer within the " + PromDuration.format(deadline.limit())
            + " timeout", thrown);
      }
    }
    return new KubeException(Reason.IO, connection.redact(describe(thrown)), thrown);
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }
}
