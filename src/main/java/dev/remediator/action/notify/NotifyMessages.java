package dev.remediator.action.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.remediator.alert.Alert;
import dev.remediator.alert.Labels;
import java.time.Instant;
import java.util.Map;

/**
 * Builds notification bodies. Slack gets {@code {"text": ...}} with {@code & < >} escaped, so
 * label values cannot turn into mentions or links; the generic JSON document carries the text,
 * rule, remediation id and the alert as Alertmanager sent it.
 */
final class NotifyMessages {
  private final ObjectMapper mapper;

  NotifyMessages(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** E.g. {@code [remediator] HighErrorRate firing: 5xx above 5% (rule restart-api)}. */
  static String defaultText(Alert alert, String rule) {
    String name = alert.alertname().isEmpty() ? "alert " + alert.fingerprint() : alert.alertname();
    String summary = alert.annotations().get("summary");
    return "[remediator] " + name + " " + alert.status().wireName()
        + (summary.isEmpty() ? "" : ": " + summary) + " (rule " + rule + ")";
  }

  byte[] slack(String text) throws JsonProcessingException {
    ObjectNode body = mapper.createObjectNode();
    body.put("text", text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
    return mapper.writeValueAsBytes(body);
  }

  byte[] json(String text, Alert alert, String rule, long remediationId) throws JsonProcessingException {
    ObjectNode body = mapper.createObjectNode();
    body.put("text", text);
    body.put("rule", rule);
    body.put("remediationId", remediationId);
    ObjectNode node = body.putObject("alert");
    node.put("status", alert.status().wireName());
    putPairs(node.putObject("labels"), alert.labels());
    putPairs(node.putObject("annotations"), alert.annotations());
    node.put("startsAt", alert.startsAt().toString());
    node.put("endsAt", alert.endsAt().map(Instant::toString).orElse(null));
    node.put("fingerprint", alert.fingerprint());
    node.put("generatorURL", alert.generatorURL());
    return mapper.writeValueAsBytes(body);
  }

  private static void putPairs(ObjectNode node, Labels pairs) {
    for (Map.Entry<String, String> pair : pairs.asMap().entrySet()) {
      node.put(pair.getKey(), pair.getValue());
    }
  }
}
