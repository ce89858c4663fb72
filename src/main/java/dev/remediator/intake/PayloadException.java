package dev.remediator.intake;

/**
 * A webhook body that cannot be accepted, with the HTTP status to answer, the path of the
 * offending field ({@code alerts[0].labels.alertname}, or empty for the body as a whole) and
 * the reason in words.
 */
public final class PayloadException extends RuntimeException {
  private final int status;
  private final String field;
  private final String reason;

  public PayloadException(int status, String field, String reason, Throwable cause) {
    super(field.isEmpty() ? reason : field + ": " + reason, cause);
    this.status = status;
    this.field = field;
    this.reason = reason;
  }

  /** A 400 Bad Request for {@code field}. */
  public PayloadException(String field, String reason) {
    this(400, field, reason, null);
  }

  public int status() {
    return status;
  }

  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }
}
