package dev.remediator.intake;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads an Alertmanager webhook body (payload version 4) into a {@link Notification}. The JSON
 * is read into a tree with bounded nesting and then checked by hand, so every rejection is a
 * {@link PayloadException} naming the path of the field at fault. Unknown fields are ignored.
 * Thread-safe: build one and share it.
 */
public final class PayloadParser {
  public static final String VERSION = "4";
  /**
   * Grafana-managed alerting's webhook contact point: Alertmanager's shape with {@code version
   * "1"} and an {@code orgId}, plus fields of its own ({@code state}, {@code title},
   * {@code message}, and per alert {@code values}, {@code valueString}, {@code silenceURL},
   * {@code dashboardURL}, {@code panelURL}), which are ignored like any unknown field.
   */
  public static final String GRAFANA_VERSION = "1";

  private final ObjectMapper mapper;

  public PayloadParser() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(JsonErrors.MAX_DEPTH).build())
        .errorReportConfiguration(ErrorReportConfiguration.builder().maxErrorTokenLength(32).maxRawContentLength(0).build())
        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    this.mapper = JsonMapper.builder(factory).build();
  }

  /** Parses and validates a whole webhook body. */
  public Notification parse(byte[] body) {
    return parse(readTree(body));
  }

  /**
   * Reads {@code body} as exactly one JSON value, nested at most 64 levels deep, in strict UTF-8
   * (no overlong forms, no encoded surrogates), with no key twice in one object and no lone
   * surrogate escaped into a string: input is refused rather than silently changed. Callers that
   * accept more than one shape (a payload or a single alert) read the tree once and pick.
   */
  public JsonNode readTree(byte[] body) {
    if (body == null || body.length == 0) {
      throw new PayloadException("", "empty body");
    }
    String text = StrictUtf8.decode(body);
    try (JsonParser parser = mapper.createParser(text)) {
      JsonNode root;
      try {
        root = mapper.readTree(parser);
      } catch (StreamReadException e) {
        if (isDuplicate(e)) {
          JsonStreamContext context = parser.getParsingContext();
          throw new PayloadException(Fields.path(pathOf(context), context.getCurrentName()),
              "appears more than once in the same object");
        }
        throw e;
      }
      if (root == null || root.isMissingNode()) {
        throw new PayloadException("", "empty body");
      }
      if (parser.nextToken() != null) {
        throw JsonErrors.malformed(parser.currentTokenLocation(), "unexpected content after the JSON value", null);
      }
      StrictUtf8.checkStrings(root, "");
      return root;
    } catch (IOException e) {
      throw JsonErrors.from(e);
    }
  }

  private static boolean isDuplicate(StreamReadException e) {
    String message = e.getOriginalMessage();
    return message != null && message.startsWith("Duplicate field");
  }

  /** The path of the object or array a parsing context reads, in our error form: {@code alerts[0].labels}. */
  private static String pathOf(JsonStreamContext context) {
    JsonStreamContext parent = context.getParent();
    if (parent == null || parent.inRoot()) {
      return "";
    }
    if (parent.inArray()) {
      return pathOf(parent) + "[" + parent.getCurrentIndex() + "]";
    }
    return Fields.path(pathOf(parent), parent.getCurrentName());
  }

  /** Validates a tree already read by {@link #readTree} as a version 4 payload. */
  public Notification parse(JsonNode root) {
    if (!root.isObject()) {
      throw new PayloadException("", "body must be a JSON object");
    }
    String version = version(root);
    JsonNode alertsNode = Fields.get(root, "alerts");
    if (alertsNode == null) {
      throw new PayloadException("alerts", "is required");
    }
    if (!alertsNode.isArray()) {
      throw new PayloadException("alerts", "must be an array");
    }
    int truncated = truncatedAlerts(root);
    String groupKey = Fields.optionalString(root, "groupKey", "");
    String receiver = Fields.optionalString(root, "receiver", "");
    String externalURL = Fields.optionalString(root, "externalURL", "");
    Optional<String> reason = Optional.ofNullable(Fields.optionalString(root, "notification_reason", ""));
    Labels groupLabels = Fields.optionalLabels(root, "groupLabels", "");
    Labels commonLabels = Fields.optionalLabels(root, "commonLabels", "");
    Labels commonAnnotations = Fields.optionalLabels(root, "commonAnnotations", "");
    AlertStatus declared = status(root, "");
    List<Alert> alerts = new ArrayList<>(alertsNode.size());
    boolean anyFiring = false;
    for (int i = 0; i < alertsNode.size(); i++) {
      Alert alert = parseAlert(alertsNode.get(i), "alerts[" + i + "]");
      anyFiring |= alert.status() == AlertStatus.FIRING;
      alerts.add(alert);
    }
    AlertStatus status = declared != null ? declared : anyFiring ? AlertStatus.FIRING : AlertStatus.RESOLVED;
    return new Notification(version, groupKey, truncated, status, receiver, groupLabels, commonLabels,
        commonAnnotations, externalURL, reason, alerts);
  }

  /**
   * Validates one alert object. {@code path} prefixes every field named in an error: for
   * example {@code alerts[3]}, or the empty string when the alert is the whole body.
   */
  public Alert parseAlert(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new PayloadException(path, path.isEmpty() ? "body must be a JSON object" : "must be an object");
    }
    JsonNode labelsNode = Fields.get(node, "labels");
    String labelsPath = Fields.path(path, "labels");
    if (labelsNode == null) {
      throw new PayloadException(labelsPath, "is required");
    }
    Labels labels = Fields.labels(labelsNode, labelsPath);
    if (labels.get("alertname").isEmpty()) {
      throw new PayloadException(Fields.path(labelsPath, "alertname"), "is required");
    }
    Labels annotations = Fields.optionalLabels(node, "annotations", path);
    Instant startsAt = timestamp(node, "startsAt", path);
    if (startsAt == null) {
      throw new PayloadException(Fields.path(path, "startsAt"), "is required");
    }
    Instant endsAt = timestamp(node, "endsAt", path);
    Optional<Instant> end = endsAt == null || endsAt.equals(Rfc3339.ZERO_TIME) ? Optional.empty() : Optional.of(endsAt);
    AlertStatus declared = status(node, path);
    AlertStatus status = declared != null ? declared : end.isPresent() ? AlertStatus.RESOLVED : AlertStatus.FIRING;
    String generatorURL = Fields.optionalString(node, "generatorURL", path);
    String fingerprint = Fields.optionalString(node, "fingerprint", path);
    return new Alert(status, labels, annotations, startsAt, end, generatorURL, fingerprint);
  }

  private static String version(JsonNode root) {
    JsonNode value = Fields.get(root, "version");
    if (value == null) {
      throw new PayloadException("version", "is required");
    }
    if (!value.isTextual()) {
      throw new PayloadException("version", "must be a string");
    }
    if (GRAFANA_VERSION.equals(value.textValue()) && Fields.get(root, "orgId") != null) {
      return GRAFANA_VERSION;
    }
    if (!VERSION.equals(value.textValue())) {
      throw new PayloadException("version", "unsupported version " + Fields.quote(value.textValue()) + ", expected \""
          + VERSION + "\" (Alertmanager) or \"" + GRAFANA_VERSION + "\" with an orgId (Grafana)");
    }
    return VERSION;
  }

  private static int truncatedAlerts(JsonNode root) {
    JsonNode value = Fields.get(root, "truncatedAlerts");
    if (value == null) {
      return 0;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
      throw new PayloadException("truncatedAlerts", "must be a non-negative integer: " + Fields.render(value));
    }
    return value.intValue();
  }

  /** The declared status at {@code parent.status}, or null when absent. */
  private static AlertStatus status(JsonNode object, String parent) {
    String value = Fields.optionalString(object, "status", parent);
    if (value == null) {
      return null;
    }
    return AlertStatus.fromWire(value).orElseThrow(() -> new PayloadException(Fields.path(parent, "status"),
        "must be \"firing\" or \"resolved\": " + Fields.quote(value)));
  }

  /** The instant at {@code parent.name}, or null when absent. */
  private static Instant timestamp(JsonNode object, String name, String parent) {
    String text = Fields.optionalString(object, name, parent);
    if (text == null) {
      return null;
    }
    Instant instant = Rfc3339.parse(text);
    if (instant == null) {
      throw new PayloadException(Fields.path(parent, name), "not an RFC 3339 timestamp: " + Fields.quote(text));
    }
    return instant;
  }
}
