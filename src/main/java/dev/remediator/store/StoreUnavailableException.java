package dev.remediator.store;

/** The store could not be reached or did not answer in time; the caller should retry later. */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
