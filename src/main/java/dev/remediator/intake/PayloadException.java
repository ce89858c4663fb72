package dev.remediator.intake;

/**
 * A webhook body that cannot be accepted, with the HTTP status to answer, the path of the
 * offending field ({@code alerts[0].labels.alertname}, or empty for the body as a whole) and
 * the reason in words.
 */
public final class PayloadException extends RuntimeException {
  /**
   * Longest field path kept whole. Each name in a path is already cut to 64 characters, but a
   * body may nest objects a thousand deep; the middle of a longer path goes, its start (which
   * alert) and its end (which field) stay.
   */
  static final int MAX_FIELD = 512;

  private final int status;
  private final String field;
  private final String reason;

  public PayloadException(int status, String field, String reason, Throwable cause) {
    super(bounded(field).isEmpty() ? reason : bounded(field) + ": " + reason, cause);
    this.status = status;
    this.field = bounded(field);
    this.reason = reason;
  }

  /** A 400 Bad Request for {@code field}. */
  public PayloadException(String field, String reason) {
    this(400, field, reason, null);
  }

  private static String bounded(String field) {
    if (field.length() <= MAX_FIELD) {
      return field;
    }
    int keep = (MAX_FIELD - 3) / 2;
    return field.substring(0, keep) + "..." + field.substring(field.length() - keep);
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
