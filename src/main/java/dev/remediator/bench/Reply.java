package dev.remediator.bench;

/**
 * What one send got back: an HTTP status, or status 0 and the kind of transport failure
 * (connection refused, timed out...) when no answer came.
 */
public record Reply(int status, String transportError) {
  public static Reply http(int status) {
    return new Reply(status, null);
  }

  public static Reply failed(String transportError) {
    return new Reply(0, transportError);
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  public boolean isTransportError() {
    return status == 0;
  }
}
