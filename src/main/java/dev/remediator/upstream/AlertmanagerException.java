package dev.remediator.upstream;

/** Alertmanager could not be reached, or answered something other than what its v2 API promises. */
public final class AlertmanagerException extends Exception {
  public AlertmanagerException(String message, Throwable cause) {
    super(message, cause);
  }

  public AlertmanagerException(String message) {
    super(message);
  }
}
