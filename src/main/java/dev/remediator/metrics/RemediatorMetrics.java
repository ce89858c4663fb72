package dev.remediator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Every metric remediator exports, registered on an injected registry. Names are given without
 * the {@code _total}/{@code _seconds} suffixes, which the Prometheus registry adds. Labels stay
 * low-cardinality: rule, action, target, status, verdict, outcome; never fingerprints.
 */
public final class RemediatorMetrics {
  private final MeterRegistry registry;
  private final Timer webhookLatency;
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
  private final Map<List<String>, AtomicLong> breakerStates = new ConcurrentHashMap<>();
  /** Meters by name and tag values, so a request or a decision looks a counter up once it exists. */
  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

  public RemediatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.webhookLatency = Timer.builder("remediator_webhook_duration")
        .description("Time to answer a webhook request, from arrival to response")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(5))
        .register(registry);
  }

  public void notificationReceived(String status) {
    counter(List.of("remediator_notifications_received", status), () -> Counter.builder("remediator_notifications_received")
        .description("Webhook notifications stored, by notification status")
        .tag("status", status)).increment();
  }

  /** {@code count} alerts of {@code status} received. */
  public void alertsReceived(String status, int count) {
    counter(List.of("remediator_alerts_received", status), () -> Counter.builder("remediator_alerts_received")
        .description("Alerts received in webhook notifications, by alert status")
        .tag("status", status)).increment(count);
  }

  public void alertsDuplicate(int count) {
    counter(List.of("remediator_alerts_duplicate"), () -> Counter.builder("remediator_alerts_duplicate")
        .description("Alerts received again: the same occurrence was already stored (retries, repeats, HA peers)"))
        .increment(count);
  }

  public void webhookRejected(int httpStatus) {
    String code = Integer.toString(httpStatus);
    counter(List.of("remediator_webhook_rejected", code), () -> Counter.builder("remediator_webhook_rejected")
        .description("Webhook requests answered with an error, by HTTP status")
        .tag("code", code)).increment();
  }

  private Counter counter(List<String> key, Supplier<Counter.Builder> builder) {
    Counter known = counters.get(key);
    return known != null ? known : counters.computeIfAbsent(key, missing -> builder.get().register(registry));
  }

  public void webhookLatency(Duration took) {
    webhookLatency.record(took);
  }

  public void decision(String rule, String verdict) {
    counter(List.of("remediator_decisions", rule, verdict), () -> Counter.builder("remediator_decisions")
        .description("Remediation decisions, by rule and final verdict")
        .tag("rule", rule).tag("verdict", verdict)).increment();
  }

  /** One escalation attempt, by outcome: escalated, retry_scheduled, failed or suppressed (rate-limited). */
  public void escalation(String outcome) {
    counter(List.of("remediator_escalations", outcome), () -> Counter.builder("remediator_escalations")
        .description("Escalations to escalate_to (failures, approvals requested or expired...), by outcome")
        .tag("outcome", outcome)).increment();
  }

  /** One verification that ended, by rule and outcome: verified or not_verified. */
  public void verification(String rule, String outcome) {
    counter(List.of("remediator_verifications", rule, outcome), () -> Counter.builder("remediator_verifications")
        .description("Verifications of succeeded remediations that ended, by rule and outcome")
        .tag("rule", rule).tag("outcome", outcome)).increment();
  }

  public void action(String action, String target, String outcome, Duration took) {
    Counter.builder("remediator_actions")
        .description("Actions run, by action, target and outcome")
        .tag("action", action).tag("target", target).tag("outcome", outcome).register(registry).increment();
    Timer.builder("remediator_action_duration")
        .description("How long actions took, by action and target")
        .tag("action", action).tag("target", target)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry).record(took);
  }

  /** Sets a gauge by name and state tag, e.g. queue depth of pending remediations. */
  public void queueDepth(String queue, long depth) {
    gauges.computeIfAbsent(queue, name -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder("remediator_queue_depth", value, AtomicLong::get)
          .description("Work waiting: undecided alerts, unstored notifications, remediations by state")
          .tag("queue", name).register(registry);
      return value;
    }).set(depth);
  }

  /** Sets the state of the breaker of {@code action} on {@code target}: 0 closed, 1 open, 2 half open. */
  public void breakerState(String action, String target, int state) {
    breakerStates.computeIfAbsent(List.of(action, target), key -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder("remediator_breaker_state", value, AtomicLong::get)
          .description("State of the circuit breaker of an action on a target: 0 closed, 1 open (actions refused),"
              + " 2 half_open (one trial call allowed)")
          .tag("action", action).tag("target", target).register(registry);
      return value;
    }).set(state);
  }

  /** A gauge read on every scrape, e.g. rules loaded. */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }
}
