package dev.remediator.action.railway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.action.ActionResult;
import dev.remediator.action.http.BearerToken;
import dev.remediator.action.http.Delivery;
import dev.remediator.action.http.ResponseExcerpt;
import dev.remediator.config.Redaction;
import dev.remediator.target.Target;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Railway's public GraphQL API for one railway target: POSTs an operation with its variables to
 * the target's {@code api_url} (default {@value #DEFAULT_ENDPOINT}) with the target's token as
 * bearer, read on every call, and sorts every failure into retryable or permanent where it happens.
 *
 * <p>Reads (queries) are retryable on connection failures, 429 and 5xx. A mutation is retryable
 * only when it surely never reached Railway (connection refused, unknown host, TLS) or was
 * rate-limited; once it may have been delivered (a failure after sending, a 5xx) it is permanent,
 * since Railway may have restarted or rolled back already. GraphQL {@code errors} in a 200 answer
 * are failures carrying Railway's messages: permanent, except rate limits, and for reads the
 * messages that say the failure was temporary. 401 and 403 are permanent and name the target.
 * The token never appears in a message.
 */
final class RailwayApi {
  static final String DEFAULT_ENDPOINT = "https://backboard.railway.com/graphql/v2";
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration READ_TIMEOUT = Duration.ofSeconds(20);
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final MediaType JSON = MediaType.get("application/json");
  private static final long MAX_ANSWER_BYTES = 1024 * 1024;
  private static final int MAX_ERRORS_SHOWN = 3;
  private static final Pattern RATE_LIMITED = Pattern.compile("(?i)rate.?limit|too many requests");
  private static final Pattern TEMPORARY = Pattern.compile("(?i)timed? ?out|temporar|try again|unavailable");

  /** Whether an operation only reads, which decides what may be retried. */
  enum Kind { QUERY, MUTATION }

  private final OkHttpClient client;
  private final ObjectMapper json;
  private final Target target;

  RailwayApi(OkHttpClient base, ObjectMapper json, Target target) {
    this.json = Objects.requireNonNull(json, "json");
    this.target = Objects.requireNonNull(target, "target");
    this.client = Delivery.tracking(Objects.requireNonNull(base, "base").newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .readTimeout(READ_TIMEOUT)
            .callTimeout(CALL_TIMEOUT)
            .followRedirects(false)
            .followSslRedirects(false))
        .build();
  }

  String targetName() {
    return target.name();
  }

  /**
   * Runs {@code document}, named {@code operation}, with {@code variables}; answers its
   * {@code data}.
   */
  JsonNode call(Kind kind, String operation, String document, Map<String, Object> variables)
      throws RailwayException, InterruptedException {
    String where = operation + " on target " + target.name();
    HttpUrl endpoint = HttpUrl.parse(target.setting("api_url").isEmpty() ? DEFAULT_ENDPOINT : target.setting("api_url"));
    if (endpoint == null) {
      throw new RailwayException("target " + target.name() + ": api_url must be an http or https URL", null);
    }
    String token;
    try {
      Optional<String> read = BearerToken.read(target);
      if (read.isEmpty()) {
        throw new RailwayException("target " + target.name() + ": a railway target needs token or token_file",
            null);
      }
      token = read.get();
    } catch (BearerToken.Unavailable e) {
      throw new RailwayException(e.getMessage(), null);
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("query", document);
    payload.put("operationName", operation);
    payload.put("variables", variables);
    RequestBody body;
    try {
      body = RequestBody.create(json.writeValueAsBytes(payload), JSON);
    } catch (JsonProcessingException e) {
      throw new RailwayException("could not write " + where + " as JSON: " + e.getOriginalMessage(), e);
    }
    Request request = new Request.Builder()
        .url(endpoint)
        .header("Authorization", BearerToken.header(token))
        .header("Accept", "application/json")
        .post(kind == Kind.MUTATION ? Delivery.oneShot(body) : body)
        .build();
    List<String> secrets = List.of(token);
    try (Response response = Delivery.execute(client, request, null)) {
      return answer(kind, operation, response, secrets);
    } catch (Delivery.Failed e) {
      if (Thread.interrupted()) {
        throw new InterruptedException(where + " interrupted");
      }
      String reason = Redaction.secrets(e.getMessage(), secrets);
      if (!e.mayHaveBeenSent()) {
        throw new RailwayException("could not reach Railway for " + where + ", nothing was sent: " + reason,
            ActionResult.Reached.NOTHING,
            e.getCause());
      }
      if (kind == Kind.QUERY) {
        throw new RailwayException(where + " failed: " + reason, ActionResult.Reached.READS_ONLY, e.getCause());
      }
      throw new RailwayException(where + " failed after the request may have reached Railway: " + reason
          + "; not repeated, it may have been applied", e.getCause());
    }
  }

  /**
   * How far a refused call reached Railway: a query only read, while a rate-limited mutation
   * reached Railway, which the retry policy never repeats.
   */
  private static ActionResult.Reached reached(Kind kind) {
    return kind == Kind.QUERY ? ActionResult.Reached.READS_ONLY : ActionResult.Reached.MAYBE_ACTED;
  }

  private JsonNode answer(Kind kind, String operation, Response response, List<String> secrets)
      throws RailwayException {
    String where = operation + " on target " + target.name();
    int code = response.code();
    String text;
    try {
      text = response.peekBody(MAX_ANSWER_BYTES).string();
    } catch (IOException e) {
      text = "";
    }
    JsonNode tree = parse(text);
    String details = tree == null ? ResponseExcerpt.of(text, secrets) : errors(tree, secrets).orElse("");
    String suffix = details.isEmpty() ? "" : ": " + details;
    if (code == 401 || code == 403) {
      throw new RailwayException("Railway refused the token of target " + target.name() + " (HTTP " + code + ") for "
          + operation + suffix, null);
    }
    if (code == 429) {
      throw new RailwayException("Railway rate-limited " + where + " (HTTP 429)" + suffix, reached(kind), null);
    }
    if (code >= 500) {
      String reason = "Railway answered HTTP " + code + " to " + where + suffix;
      if (kind == Kind.QUERY) {
        throw new RailwayException(reason, ActionResult.Reached.READS_ONLY, null);
      }
      throw new RailwayException(reason + "; not repeated, it may have been applied", null);
    }
    if (code < 200 || code > 299) {
      throw new RailwayException("Railway answered HTTP " + code + " to " + where + suffix, null);
    }
    if (tree == null) {
      throw new RailwayException("Railway's answer to " + where + " is not JSON" + suffix, null);
    }
    Optional<String> errors = errors(tree, secrets);
    if (errors.isPresent()) {
      String refused = "Railway refused " + where + ": " + errors.get();
      if (RATE_LIMITED.matcher(errors.get()).find()
          || kind == Kind.QUERY && TEMPORARY.matcher(errors.get()).find()) {
        throw new RailwayException(refused, reached(kind), null);
      }
      throw new RailwayException(refused, null);
    }
    JsonNode data = tree.get("data");
    if (data == null || !data.isObject()) {
      throw new RailwayException("Railway's answer to " + where + " has no data", null);
    }
    return data;
  }

  private JsonNode parse(String text) {
    try {
      JsonNode tree = json.readTree(text);
      return tree != null && tree.isObject() ? tree : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** The messages of a GraphQL {@code errors} list, the first few joined; empty when there are none. */
  private static Optional<String> errors(JsonNode tree, List<String> secrets) {
    JsonNode errors = tree.get("errors");
    if (errors == null || !errors.isArray() || errors.isEmpty()) {
      return Optional.empty();
    }
    List<String> messages = new ArrayList<>();
    for (JsonNode error : errors) {
      if (messages.size() == MAX_ERRORS_SHOWN) {
        messages.add("and " + (errors.size() - MAX_ERRORS_SHOWN) + " more");
        break;
      }
      JsonNode message = error.get("message");
      messages.add(ResponseExcerpt.of(message != null && message.isTextual() ? message.asText() : error.toString(),
          secrets));
    }
    return Optional.of(String.join("; ", messages));
  }
}
