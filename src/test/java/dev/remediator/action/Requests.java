package dev.remediator.action;

import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.target.Target;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Action requests for tests, built around one firing alert pinned to 2020-01-01. */
public final class Requests {
  public static final Instant STARTS_AT = Instant.parse("2020-01-01T12:00:00Z");

  private Requests() {}

  public static Alert firingAlert() {
    return new Alert(AlertStatus.FIRING,
        Labels.of("alertname", "HighErrorRate", "service", "api", "severity", "critical"),
        Labels.of("summary", "5xx ratio above 5% for 10m"),
        STARTS_AT, Optional.empty(), "http://prometheus:9090/graph?g0.expr=x", "c0ffee0000000001");
  }

  public static ActionRequest request(Target target, Map<String, Object> params) {
    return new ActionRequest(42, "restart-api", target, params, firingAlert());
  }
}
