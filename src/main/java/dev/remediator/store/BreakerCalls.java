package dev.remediator.store;

/**
 * Finished calls a breaker counts: {@code calls} succeeded or failed, of which {@code failures}
 * failed or were not verified afterwards.
 */
public record BreakerCalls(int calls, int failures) {
  /** The share of calls that failed; 0 when there were none. */
  public double failureRate() {
    return calls == 0 ? 0 : (double) failures / calls;
  }
}
