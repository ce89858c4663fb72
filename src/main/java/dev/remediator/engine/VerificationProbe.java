package dev.remediator.engine;

import dev.remediator.rules.Expectation;
import dev.remediator.rules.Verification;
import dev.remediator.store.Database;
import dev.remediator.store.VerificationStore;
import dev.remediator.upstream.HttpProbe;
import dev.remediator.upstream.PrometheusClient;
import dev.remediator.upstream.PrometheusException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One look at whether a verification holds, and what was seen: the alert's resolved
 * notification in the store, the PromQL expression's value, or the health URL's status. A check
 * that cannot be made (Prometheus down or not configured, the URL unreachable) does not hold, and
 * says why.
 */
public final class VerificationProbe {
  private final Database database;
  private final VerificationStore store;
  private final Optional<PrometheusClient> prometheus;
  private final HttpProbe http;

  public VerificationProbe(Database database, VerificationStore store, Optional<PrometheusClient> prometheus,
                           HttpProbe http) {
    this.database = Objects.requireNonNull(database, "database");
    this.store = Objects.requireNonNull(store, "store");
    this.prometheus = Objects.requireNonNull(prometheus, "prometheus");
    this.http = Objects.requireNonNull(http, "http");
  }

  /** Whether the check held, and what was seen, e.g. {@code promql = 0.5} or {@code HTTP 503}. */
  public record Poll(boolean held, String seen) {}

  /** Looks once, at {@code now}; a look after the deadline asks about the deadline where it can. */
  public Poll poll(PendingVerification pending, Instant now) throws InterruptedException {
    Verification check = pending.check();
    if (check instanceof Verification.Query query) {
      return query(query, now.isAfter(pending.deadline()) ? pending.deadline() : now);
    }
    if (check instanceof Verification.HttpGet get) {
      HttpProbe.Answer answer = http.get(get.url());
      return new Poll(answer.answered() && answer.status() == get.status(), "GET " + get.url() + ": " + answer);
    }
    boolean resolved = database.inTransaction(connection ->
        store.resolvedBy(connection, pending.fingerprint(), pending.startsAt(), pending.deadline()));
    if (resolved) {
      return new Poll(true, "the alert's resolved notification was stored by " + pending.deadline());
    }
    return new Poll(false, now.isBefore(pending.deadline()) ? "no resolved notification for the alert yet"
        : "no resolved notification for the alert was stored by " + pending.deadline());
  }

  private Poll query(Verification.Query query, Instant at) throws InterruptedException {
    String promql = query.check().promql();
    if (prometheus.isEmpty()) {
      return new Poll(false, "could not evaluate " + promql + ": REMEDIATOR_PROMETHEUS_URL is not set");
    }
    try {
      double value = prometheus.get().query(promql, at);
      return new Poll(query.check().expect().test(value), promql + " = " + Expectation.number(value) + " (expected "
          + query.check().expect() + ")");
    } catch (PrometheusException e) {
      return new Poll(false, "could not evaluate " + promql + ": " + e.getMessage());
    }
  }
}
