package dev.remediator.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.remediator.config.Redaction;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The bench's report as one JSON document with stable field names. Times are milliseconds
 * ({@code ...Ms}) or seconds ({@code ...Seconds}); a section that was not asked for is null.
 *
 * <pre>
 * runId                      8 hex digits; every fingerprint of the measured run starts with it
 * settings                   url, model ("open"|"closed"), rate, connections (one of them null),
 *                            maxInFlight, durationSeconds, warmupSeconds, alertsPerNotification,
 *                            distinct (null: fresh fingerprints), settleSeconds, reference
 * remediator                 a load (below)
 * store                      null without --database-url; else fingerprintPrefix, alertsStored,
 *                            decided, decideFailed, notDecided, alertToDecisionMs and
 *                            alertToActionStartMs (latencies), actionsNotStarted (decided to
 *                            run, not started when read), allDecidedAfterSeconds (first alert
 *                            received to last decided; null unless all were), settleWaitSeconds
 * reference                  null without --reference; else order, naiveInsert and bare (loads),
 *                            ratios.remediatorToNaiveInsert, ratios.remediatorToBare (throughput,
 *                            null when the reference acknowledged nothing)
 * a load                     elapsedSeconds; notifications and alerts: sent, acknowledged (2xx),
 *                            perSecond (acknowledged); ackLatencyMs (2xx answers); errors: total,
 *                            byStatus {"503": n}, transport {"connection refused": n}; open model
 *                            only (else null): lateStarts, waitedForConnection, maxStartLagMs
 * a latency                  count, p50, p90, p99, p999, max (null when count is 0)
 * </pre>
 */
public final class JsonReport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  public static String render(BenchReport report) {
    ObjectNode root = JSON.createObjectNode();
    root.put("runId", report.runId());
    root.set("settings", settings(report.options()));
    root.set("remediator", load(report.remediator(), open(report)));
    root.set("store", report.store().map(JsonReport::store).orElse(null));
    root.set("reference", report.references().map(references -> references(report, references)).orElse(null));
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the bench report as JSON", e);
    }
  }

  private static ObjectNode settings(BenchOptions options) {
    ObjectNode settings = JSON.createObjectNode();
    settings.put("url", Redaction.url(options.url().toString()));
    boolean open = options.model() instanceof LoadModel.Open;
    settings.put("model", open ? "open" : "closed");
    if (open) {
      settings.put("rate", ((LoadModel.Open) options.model()).rate());
      settings.putNull("connections");
    } else {
      settings.putNull("rate");
      settings.put("connections", ((LoadModel.Closed) options.model()).connections());
    }
    settings.put("maxInFlight", options.model().maxConnections());
    settings.put("durationSeconds", seconds(options.duration()));
    settings.put("warmupSeconds", seconds(options.warmup()));
    settings.put("alertsPerNotification", options.alertsPerNotification());
    if (options.distinct().isPresent()) {
      settings.put("distinct", options.distinct().getAsInt());
    } else {
      settings.putNull("distinct");
    }
    settings.put("settleSeconds", seconds(options.settle()));
    settings.put("reference", options.reference());
    return settings;
  }

  private static ObjectNode load(LoadResult load, boolean open) {
    ObjectNode node = JSON.createObjectNode();
    node.put("elapsedSeconds", Numbers.round(load.elapsedSeconds(), 3));
    ObjectNode notifications = node.putObject("notifications");
    notifications.put("sent", load.sent());
    notifications.put("acknowledged", load.ok());
    notifications.put("perSecond", Numbers.round(load.notificationsPerSecond(), 1));
    ObjectNode alerts = node.putObject("alerts");
    alerts.put("sent", load.alertsSent());
    alerts.put("acknowledged", load.alertsOk());
    alerts.put("perSecond", Numbers.round(load.alertsPerSecond(), 1));
    node.set("ackLatencyMs", latency(load.ackLatency()));
    ObjectNode errors = node.putObject("errors");
    errors.put("total", load.errors());
    ObjectNode byStatus = errors.putObject("byStatus");
    load.errorsByStatus().forEach((status, count) -> byStatus.put(String.valueOf(status), count));
    ObjectNode transport = errors.putObject("transport");
    load.transportErrors().forEach(transport::put);
    if (open) {
      node.put("lateStarts", load.lateStarts());
      node.put("waitedForConnection", load.noFreeConnection());
      node.put("maxStartLagMs", Numbers.millis(load.maxStartLagNanos()));
    } else {
      node.putNull("lateStarts");
      node.putNull("waitedForConnection");
      node.putNull("maxStartLagMs");
    }
    return node;
  }

  private static ObjectNode latency(LatencySummary latency) {
    ObjectNode node = JSON.createObjectNode();
    node.put("count", latency.count());
    List<String> names = List.of("p50", "p90", "p99", "p999", "max");
    List<Long> values = List.of(latency.p50(), latency.p90(), latency.p99(), latency.p999(), latency.max());
    for (int i = 0; i < names.size(); i++) {
      if (latency.count() == 0) {
        node.putNull(names.get(i));
      } else {
        node.put(names.get(i), Numbers.millis(values.get(i)));
      }
    }
    return node;
  }

  private static ObjectNode store(StoreFigures store) {
    ObjectNode node = JSON.createObjectNode();
    node.put("fingerprintPrefix", store.fingerprintPrefix());
    node.put("alertsStored", store.stored());
    node.put("decided", store.decided());
    node.put("decideFailed", store.decideFailed());
    node.put("notDecided", store.notDecided());
    node.set("alertToDecisionMs", latency(store.toDecision()));
    node.set("alertToActionStartMs", latency(store.toActionStart()));
    node.put("actionsNotStarted", store.actionsNotStarted());
    if (store.allDecidedAfter().isPresent()) {
      node.put("allDecidedAfterSeconds", seconds(store.allDecidedAfter().get()));
    } else {
      node.putNull("allDecidedAfterSeconds");
    }
    node.put("settleWaitSeconds", seconds(store.settleWait()));
    return node;
  }

  private static ObjectNode references(BenchReport report, BenchReport.References references) {
    ObjectNode node = JSON.createObjectNode();
    node.putArray("order").add("remediator").add("naiveInsert").add("bare");
    node.set("naiveInsert", load(references.naiveInsert(), open(report)));
    node.set("bare", load(references.bare(), open(report)));
    ObjectNode ratios = node.putObject("ratios");
    ratio(ratios, "remediatorToNaiveInsert", BenchReport.ratio(report.remediator(), references.naiveInsert()));
    ratio(ratios, "remediatorToBare", BenchReport.ratio(report.remediator(), references.bare()));
    return node;
  }

  private static void ratio(ObjectNode ratios, String name, Optional<Double> ratio) {
    if (ratio.isPresent()) {
      ratios.put(name, Numbers.round(ratio.get(), 3));
    } else {
      ratios.putNull(name);
    }
  }

  private static boolean open(BenchReport report) {
    return report.options().model() instanceof LoadModel.Open;
  }

  private static double seconds(Duration duration) {
    return Numbers.round(duration.toNanos() / 1e9, 3);
  }
}
