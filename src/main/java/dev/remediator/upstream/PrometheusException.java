package dev.remediator.upstream;

/**
 * A query Prometheus could not evaluate to one number: unreachable, an error answer, or a result
 * that is not one finite-or-infinite value (no series, several, NaN, a range vector). The message
 * is the reason an SRE reads in the audit log, e.g. {@code the query returned no series}.
 */
public final class PrometheusException extends Exception {
  private final boolean unreachable;

  PrometheusException(String reason, boolean unreachable, Throwable cause) {
    super(reason, cause);
    this.unreachable = unreachable;
  }

  static PrometheusException unreachable(String reason, Throwable cause) {
    return new PrometheusException(reason, true, cause);
  }

  static PrometheusException unusable(String reason) {
    return new PrometheusException(reason, false, null);
  }

  /** True when Prometheus did not answer at all (refused, timed out), as opposed to answering something unusable. */
  public boolean unreachable() {
    return unreachable;
  }
}
