package dev.remediator.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runbook alerts the bench sends, with the labels the shipped rules match and template on
 * (service, namespace, severity, worker), so that deciding really runs for each of them.
 * {@code index} varies the service and instance from one fingerprint to the next.
 */
enum AlertKind {
  HIGH_ERROR_RATE("HighErrorRate", "critical", "5xx ratio above 5% for 5m",
      "rate(http_requests_total{status=~\"5..\"}[5m]) > 0.05"),
  WORKER_QUEUE_BACKLOG("WorkerQueueBacklog", "warning", "more than 100 queued tasks for 10m",
      "celery_queue_length > 100"),
  DATABASE_CONNECTION_POOL_EXHAUSTED("DatabaseConnectionPoolExhausted", "critical",
      "connections above 90% of max_connections for 5m",
      "sum(pg_stat_activity_count) / pg_settings_max_connections > 0.9"),
  ERROR_BUDGET_BURN_RATE_CRITICAL("ErrorBudgetBurnRateCritical", "page", "error budget burning 14.4x too fast",
      "slo:error_budget_burn_rate:1h > 14.4");

  static final List<AlertKind> ALL = List.of(values());
  private static final List<String> WORKERS = List.of("worker-llm", "worker-rl", "worker-emails");

  private final String alertname;
  private final String severity;
  private final String summary;
  private final String expression;

  AlertKind(String alertname, String severity, String summary, String expression) {
    this.alertname = alertname;
    this.severity = severity;
    this.summary = summary;
    this.expression = expression;
  }

  String alertname() {
    return alertname;
  }

  /** The labels of alert number {@code index} of this kind, alertname first. */
  Map<String, String> labels(long index) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", alertname);
    labels.put("severity", severity);
    labels.put("namespace", index % 10 == 9 ? "staging" : "prod");
    switch (this) {
      case WORKER_QUEUE_BACKLOG -> {
        String worker = WORKERS.get((int) (index % WORKERS.size()));
        labels.put("service", worker);
        labels.put("worker", worker);
        labels.put("job", "celery");
      }
      case DATABASE_CONNECTION_POOL_EXHAUSTED -> {
        labels.put("service", "postgres");
        labels.put("job", "postgres-exporter");
      }
      default -> {
        labels.put("service", "api-" + index % 5);
        labels.put("job", "api");
      }
    }
    labels.put("instance", "10." + (index >>> 16 & 0xff) + "." + (index >>> 8 & 0xff) + "." + (index & 0xff) + ":8000");
    return labels;
  }

  Map<String, String> annotations(Map<String, String> labels) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("summary", summary);
    annotations.put("description", alertname + " on " + labels.get("service") + " in " + labels.get("namespace"));
    annotations.put("runbook_url", "https://runbooks.example.com/" + alertname);
    return annotations;
  }

  String generatorUrl() {
    return "http://prometheus:9090/graph?g0.expr=" + URLEncoder.encode(expression, StandardCharsets.UTF_8);
  }
}
