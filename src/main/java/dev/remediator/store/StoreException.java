package dev.remediator.store;

/** The store rejected a statement for a reason other than being unreachable (bad data, a bug). */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
