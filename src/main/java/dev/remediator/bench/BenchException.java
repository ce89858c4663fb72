package dev.remediator.bench;

/** The bench could not run: the target or the store could not be reached, or the store is not remediator's. */
public final class BenchException extends RuntimeException {
  public BenchException(String message) {
    super(message);
  }

  public BenchException(String message, Throwable cause) {
    super(message, cause);
  }
}
