package dev.remediator.action.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.action.Action;
import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.action.ParamChecks;
import dev.remediator.config.Redaction;
import dev.remediator.rules.ActionSpec;
import dev.remediator.rules.ActionSpec.ParamProblem;
import dev.remediator.target.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends a rule's request to an http target: the host always from the target's base_url, the
 * path resolved under it ({@link BasePath}, refused before sending when it tries to leave), the
 * target's headers and bearer token, redirects never followed. One class serves {@code http},
 * and {@code restart} and {@code rollback} on http targets.
 *
 * <p>When a call is retryable: a request that surely never left (connection refused, unknown host,
 * connect timeout, TLS failure) always is; after the request may have been sent (a failure while
 * writing or waiting for the answer, a 5xx or 429 answer) only GET, PUT, DELETE and HEAD are, as
 * repeating them means the same; POST and PATCH then fail for good, because the target may have
 * acted. Any other status not in {@code expect} is permanent.
 */
public final class HttpRequestAction implements Action {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");
  /** Headers whose values are not secrets and so stay readable in excerpts. */
  private static final Set<String> PLAIN_HEADERS = Set.of("accept", "content-type", "user-agent");

  private final HttpRequestSpec spec;
  private final OkHttpClient client;
  private final ObjectMapper json;

  /** @param base the server's shared client; this action derives its own from it */
  public HttpRequestAction(HttpRequestSpec spec, OkHttpClient base, ObjectMapper json) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.json = Objects.requireNonNull(json, "json");
    this.client = Delivery.tracking(Objects.requireNonNull(base, "base").newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(false)
            .followSslRedirects(false))
        .build();
  }

  @Override
  public ActionSpec spec() {
    return spec;
  }

  @Override
  public ActionResult execute(ActionRequest request) throws InterruptedException {
    Map<String, Object> params = request.params();
    List<ParamProblem> problems = spec.validateRendered(params);
    if (!problems.isEmpty()) {
      return new ActionResult.Permanent("invalid parameters: " + ParamChecks.summary(problems), null);
    }
    Target target = request.target();
    String method = HttpRequestSpec.method(params);
    String path = (String) params.get("path");
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("method", method);
    facts.put("path", path);
    HttpUrl url;
    try {
      HttpUrl base = BasePath.base(target.setting("base_url"));
      try {
        url = BasePath.resolve(base, path);
      } catch (BasePath.Refused e) {
        return new ActionResult.Permanent("path " + ParamChecks.describe(path) + " refused, nothing was sent: "
            + e.getMessage(), null, facts);
      }
    } catch (BasePath.Refused e) {
      return new ActionResult.Permanent("target " + target.name() + ": " + e.getMessage(), null, facts);
    }
    String sentPath = url.encodedPath() + (url.encodedQuery() == null ? "" : "?" + url.encodedQuery());
    facts.put("path", sentPath);
    String call = method + " " + sentPath;

    Request.Builder builder = new Request.Builder().url(url);
    List<String> secrets = new ArrayList<>();
    Optional<String> problem = authorize(builder, target, secrets);
    if (problem.isPresent()) {
      return new ActionResult.Permanent(problem.get(), null, facts);
    }
    boolean idempotent = HttpRequestSpec.IDEMPOTENT.contains(method);
    RequestBody body;
    try {
      body = body(params.get("body"), target);
    } catch (JsonProcessingException e) {
      return new ActionResult.Permanent("could not write the body as JSON: " + e.getOriginalMessage(), null, facts);
    }
    if (body == null && (method.equals("POST") || method.equals("PUT") || method.equals("PATCH"))) {
      body = RequestBody.create(new byte[0], null);
    }
    builder.method(method, body == null || idempotent ? body : Delivery.oneShot(body));

    try (Response response = Delivery.execute(client, builder.build(), HttpRequestSpec.timeout(params))) {
      return outcome(response, call, method, idempotent, HttpRequestSpec.expect(params), secrets, facts);
    } catch (Delivery.Failed e) {
      if (Thread.interrupted()) {
        throw new InterruptedException(call + " interrupted");
      }
      return failed(e, target, call, method, idempotent, secrets, facts);
    }
  }

  /**
   * Sets the target's headers and bearer token on {@code builder} and collects the values that
   * must never be shown into {@code secrets}; a problem with either stops the request.
   */
  private static Optional<String> authorize(Request.Builder builder, Target target, List<String> secrets) {
    for (Map.Entry<String, String> header : target.settingsUnder("headers").entrySet()) {
      try {
        builder.header(header.getKey(), header.getValue());
      } catch (IllegalArgumentException e) {
        return Optional.of("target " + target.name() + ": header " + ParamChecks.describe(header.getKey())
            + " is not a valid HTTP header name and value");
      }
      if (!PLAIN_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        secrets.add(header.getValue());
      }
    }
    try {
      Optional<String> token = BearerToken.read(target);
      if (token.isPresent()) {
        secrets.add(token.get());
        builder.header("Authorization", BearerToken.header(token.get()));
      }
      return Optional.empty();
    } catch (BearerToken.Unavailable e) {
      return Optional.of(e.getMessage());
    }
  }

  private static ActionResult failed(Delivery.Failed e, Target target, String call, String method, boolean idempotent,
                                     List<String> secrets, Map<String, Object> facts) {
    String reason = Redaction.secrets(e.getMessage(), secrets);
    if (!e.mayHaveBeenSent()) {
      return new ActionResult.Retryable("could not connect to target " + target.name() + " for " + call
          + ", nothing was sent: " + reason, e.getCause(), ActionResult.Reached.NOTHING);
    }
    if (idempotent) {
      return new ActionResult.Retryable(call + " to target " + target.name() + " failed: " + reason, e.getCause(),
          ActionResult.Reached.IDEMPOTENT_REQUEST);
    }
    return new ActionResult.Permanent(call + " to target " + target.name() + " failed after the request may have"
        + " reached it: " + reason + "; " + method + " is not repeated, the target may have acted", e.getCause(), facts);
  }

  private static ActionResult outcome(Response response, String call, String method, boolean idempotent,
                                      Set<Integer> expect, List<String> secrets, Map<String, Object> facts) {
    int code = response.code();
    String excerpt = ResponseExcerpt.of(response, secrets);
    facts.put("status", code);
    facts.put("response", excerpt);
    String answered = call + " answered HTTP " + code;
    boolean expected = expect.isEmpty() ? code >= 200 && code <= 299 : expect.contains(code);
    if (expected) {
      return new ActionResult.Succeeded(answered + (excerpt.isEmpty() ? "" : ": " + excerpt), facts);
    }
    String wanted = expect.isEmpty() ? "a 2xx status"
        : expect.stream().map(String::valueOf).collect(Collectors.joining(" or "));
    String reason = answered + ", expected " + wanted + (excerpt.isEmpty() ? "" : ": " + excerpt);
    if (code >= 500 || code == 429) {
      if (idempotent) {
        return new ActionResult.Retryable(reason, null, ActionResult.Reached.IDEMPOTENT_REQUEST);
      }
      return new ActionResult.Permanent(reason + "; " + method + " is not repeated, the target may have acted",
          null, facts);
    }
    return new ActionResult.Permanent(reason, null, facts);
  }

  /** The body: JSON for a mapping or list, else the string with the target's Content-Type header or text/plain. */
  private RequestBody body(Object body, Target target) throws JsonProcessingException {
    if (body == null) {
      return null;
    }
    if (body instanceof String text) {
      MediaType type = target.settingsUnder("headers").entrySet().stream()
          .filter(header -> header.getKey().equalsIgnoreCase("Content-Type"))
          .map(header -> MediaType.parse(header.getValue()))
          .filter(Objects::nonNull)
          .findFirst().orElse(TEXT);
      return RequestBody.create(text, type);
    }
    return RequestBody.create(json.writeValueAsBytes(body), JSON);
  }
}
