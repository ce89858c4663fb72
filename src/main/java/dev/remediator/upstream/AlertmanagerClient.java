package dev.remediator.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
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
import okhttp3.ResponseBody;

/**
 * Alertmanager's v2 API, as remediator uses it: which alerts still fire, which alerts a group
 * holds, and silences. Label names and values only ever travel as query parameters (matchers in
 * Alertmanager's own quoting) or in JSON bodies; the host and path come from the configured URL
 * alone. Every call has the bounded timeouts of the client it is given, and an answer larger
 * than {@link #MAX_ANSWER_BYTES} is refused rather than read.
 */
public final class AlertmanagerClient {
  static final int MAX_ANSWER_BYTES = 8 * 1024 * 1024;
  private static final MediaType JSON = MediaType.get("application/json");
  /** Label names Alertmanager 0.25's matcher parser accepts; others cannot be filtered on. */
  private static final Pattern MATCHABLE_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern REGEX_META = Pattern.compile("[\\\\.+*?()|\\[\\]{}^$]");

  private final HttpUrl base;
  private final OkHttpClient http;
  private final ObjectMapper json;

  /** {@code base} is Alertmanager's URL, with any path prefix it is served under (e.g. {@code http://am:9093}). */
  public AlertmanagerClient(HttpUrl base, OkHttpClient http, ObjectMapper json) {
    this.base = Objects.requireNonNull(base, "base");
    this.http = Objects.requireNonNull(http, "http");
    this.json = Objects.requireNonNull(json, "json");
  }

  /** The URL remediator was configured with, for messages and audit events. */
  public String url() {
    return base.toString();
  }

  /**
   * The alerts Alertmanager holds as firing (not resolved) whose labels include all of
   * {@code labels}, silenced and inhibited ones included: silenced or not, an alert still fires.
   */
  public List<Alert> firing(Labels labels) throws AlertmanagerException {
    return alerts(labels, Optional.empty(), true);
  }

  /**
   * The firing alerts of one aggregation group as a receiver sees them: the group's labels, the
   * receiver's name, and neither silenced nor inhibited ones (Alertmanager notifies neither).
   */
  public List<Alert> group(Labels groupLabels, String receiver) throws AlertmanagerException {
    Objects.requireNonNull(receiver, "receiver");
    return alerts(groupLabels, Optional.of(receiver), false);
  }

  /** Creates the silence and returns the id Alertmanager gave it. */
  public String silence(SilenceRequest silence) throws AlertmanagerException {
    ObjectNode body = json.createObjectNode();
    ArrayNode matchers = body.putArray("matchers");
    silence.labels().asMap().forEach((name, value) -> matchers.addObject()
        .put("name", name).put("value", value).put("isRegex", false).put("isEqual", true));
    body.put("startsAt", silence.startsAt().toString());
    body.put("endsAt", silence.endsAt().toString());
    body.put("createdBy", silence.createdBy());
    body.put("comment", silence.comment());
    Request request = new Request.Builder().url(api("silences").build())
        .post(RequestBody.create(body.toString(), JSON)).build();
    JsonNode answer = call(request);
    JsonNode id = answer.path("silenceID");
    if (!id.isTextual() || id.asText().isBlank()) {
      throw new AlertmanagerException("POST " + redacted(request) + " answered without a silenceID: " + excerpt(answer));
    }
    return id.asText();
  }

  /** Expires the silence now; Alertmanager 0.25 accepts expiring one that has expired already, and refuses an unknown id. */
  public void expire(String silenceId) throws AlertmanagerException {
    Objects.requireNonNull(silenceId, "silenceId");
    Request request = new Request.Builder().url(api("silence").addPathSegment(silenceId).build()).delete().build();
    call(request);
  }

  private List<Alert> alerts(Labels labels, Optional<String> receiver, boolean suppressedToo)
      throws AlertmanagerException {
    HttpUrl.Builder url = api("alerts")
        .addQueryParameter("active", "true")
        .addQueryParameter("unprocessed", "true")
        .addQueryParameter("silenced", String.valueOf(suppressedToo))
        .addQueryParameter("inhibited", String.valueOf(suppressedToo));
    labels.asMap().forEach((name, value) -> {
      if (MATCHABLE_NAME.matcher(name).matches()) {
        url.addQueryParameter("filter", name + "=" + Labels.quote(value));
      }
    });
    receiver.ifPresent(name -> url.addQueryParameter("receiver", literalRegex(name)));
    Request request = new Request.Builder().url(url.build()).get().build();
    JsonNode answer = call(request);
    if (!answer.isArray()) {
      throw new AlertmanagerException("GET " + redacted(request) + " answered with no list of alerts: " + excerpt(answer));
    }
    List<Alert> alerts = new ArrayList<>(answer.size());
    for (JsonNode alert : answer) {
      Labels found = labelsOf(alert.path("labels"));
      // A label name Alertmanager cannot filter on is compared here instead.
      if (found.asMap().entrySet().containsAll(labels.asMap().entrySet())) {
        alerts.add(new Alert(AlertStatus.FIRING, found, labelsOf(alert.path("annotations")),
            instant(alert, "startsAt"), Optional.empty(), alert.path("generatorURL").asText(""),
            alert.path("fingerprint").asText(null)));
      }
    }
    return alerts;
  }

  private HttpUrl.Builder api(String resource) {
    return base.newBuilder().addPathSegments("api/v2").addPathSegment(resource);
  }

  private JsonNode call(Request request) throws AlertmanagerException {
    try (Response response = http.newCall(request).execute()) {
      String text = read(response.body());
      if (!response.isSuccessful()) {
        throw new AlertmanagerException(request.method() + " " + redacted(request) + " answered HTTP "
            + response.code() + ": " + cut(text.strip()));
      }
      return text.isBlank() ? json.nullNode() : json.readTree(text);
    } catch (IOException e) {
      throw new AlertmanagerException(request.method() + " " + redacted(request) + " failed: " + e.getMessage(), e);
    }
  }

  private static String read(ResponseBody body) throws IOException {
    if (body == null) {
      return "";
    }
    try (InputStream in = body.byteStream()) {
      byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
      if (bytes.length > MAX_ANSWER_BYTES) {
        throw new IOException("answer larger than " + MAX_ANSWER_BYTES + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private static Labels labelsOf(JsonNode node) throws AlertmanagerException {
    if (node.isMissingNode() || node.isNull()) {
      return Labels.EMPTY;
    }
    if (!node.isObject()) {
      throw new AlertmanagerException("Alertmanager listed an alert whose labels are not an object: " + excerpt(node));
    }
    Map<String, String> pairs = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      pairs.put(field.getKey(), field.getValue().asText());
    }
    return Labels.of(pairs);
  }

  private static Instant instant(JsonNode alert, String field) throws AlertmanagerException {
    String text = alert.path(field).asText("");
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new AlertmanagerException("Alertmanager listed an alert whose " + field + " is not a time: \""
          + cut(text) + "\"", e);
    }
  }

  /** A Go regular expression that matches exactly {@code text} (Alertmanager anchors the receiver filter). */
  static String literalRegex(String text) {
    return REGEX_META.matcher(text).replaceAll("\\\\$0");
  }

  /** The request's URL without its query, which carries label values. */
  private static String redacted(Request request) {
    return request.url().newBuilder().query(null).build().toString();
  }

  private static String excerpt(JsonNode node) {
    return cut(node.toString());
  }

  private static String cut(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
