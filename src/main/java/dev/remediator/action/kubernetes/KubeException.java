package dev.remediator.action.kubernetes;

/**
 * An API call that did not succeed, with why in a few words ({@code HTTP 503: etcdserver: leader
 * changed}, {@code connection refused}).
 */
final class KubeException extends Exception {
  /** What went wrong, in the terms the actions decide on. */
  enum Reason {
    /** HTTP 404. */
    NOT_FOUND,
    /** HTTP 403: the credentials may not do this. */
    FORBIDDEN,
    /** HTTP 401: the credentials were not accepted. */
    UNAUTHORIZED,
    /** HTTP 409: the object changed under the call. */
    CONFLICT,
    /** HTTP 422: the change was refused, e.g. a failed JSON Patch test. */
    INVALID,
    /** Any other 4xx. */
    REJECTED,
    /** HTTP 5xx or 429: the server could not serve the call now. */
    SERVER_ERROR,
    /** Not sent: the API server could not be reached (connection refused, unknown host). */
    UNREACHABLE,
    /** Not sent: the TLS handshake failed, e.g. a server certificate the CA does not sign. */
    TLS,
    /** Not sent: a credential (the token file) could not be read. */
    CREDENTIALS,
    /** The call ran out of time; it may have been delivered. */
    TIMED_OUT,
    /** The connection failed during the call; it may have been delivered. */
    IO,
    /** The server answered 2xx with a body that is not the JSON expected. */
    BAD_ANSWER
  }

  private final Reason reason;

  KubeException(Reason reason, String detail, Throwable cause) {
    super(detail, cause);
    this.reason = reason;
  }

  Reason reason() {
    return reason;
  }

  /** Whether the failure may pass by itself, so a call that is safe to repeat is worth trying later. */
  boolean mayPass() {
    return switch (reason) {
      case SERVER_ERROR, UNREACHABLE, TIMED_OUT, IO -> true;
      default -> false;
    };
  }
}
