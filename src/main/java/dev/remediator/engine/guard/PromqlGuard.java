package dev.remediator.engine.guard;

import dev.remediator.engine.DecisionContext;
import dev.remediator.engine.Guard;
import dev.remediator.engine.Verdict;
import dev.remediator.rules.Expectation;
import dev.remediator.rules.PromCheck;
import dev.remediator.upstream.PrometheusClient;
import dev.remediator.upstream.PrometheusException;
import java.util.Objects;
import java.util.Optional;

/**
 * A rule's {@code guard: {promql, expect}}: acts only when Prometheus says the expression meets
 * its expectation now, e.g. that most of a service's instances are up before restarting one.
 * Asked last, after every cheaper guard; the verdict names the value seen. When Prometheus
 * cannot answer, or no REMEDIATOR_PROMETHEUS_URL is set, the rule does not act: acting blind is
 * what the guard exists to prevent.
 */
public final class PromqlGuard implements Guard.OfWorld {
  private final Optional<PrometheusClient> prometheus;

  /** {@code prometheus} already carries the guard's own short deadline; empty when no URL is configured. */
  public PromqlGuard(Optional<PrometheusClient> prometheus) {
    this.prometheus = Objects.requireNonNull(prometheus, "prometheus");
  }

  @Override
  public String name() {
    return "promql";
  }

  @Override
  public Verdict check(DecisionContext context) throws InterruptedException {
    Optional<PromCheck> guard = context.rule().safeguards().guard();
    if (guard.isEmpty()) {
      return new Verdict.Pass("no promql guard");
    }
    PromCheck check = guard.get();
    if (prometheus.isEmpty()) {
      return new Verdict.Skip("could not evaluate guard " + check.promql()
          + ": REMEDIATOR_PROMETHEUS_URL is not set, so no guard can be checked");
    }
    double value;
    try {
      value = prometheus.get().query(check.promql(), context.now());
    } catch (PrometheusException e) {
      return new Verdict.Skip("could not evaluate guard " + check.promql() + ": " + e.getMessage());
    }
    String seen = "guard " + check.promql() + " = " + Expectation.number(value);
    return check.expect().test(value)
        ? new Verdict.Pass(seen + ", meets " + check.expect())
        : new Verdict.Skip(seen + ", expected " + check.expect());
  }
}
