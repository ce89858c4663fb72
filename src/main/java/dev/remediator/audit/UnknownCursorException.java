package dev.remediator.audit;

/** A page was asked for after an event the log does not hold (a made-up cursor, or one retention removed). */
public final class UnknownCursorException extends RuntimeException {
  private final long id;

  public UnknownCursorException(long id) {
    super("no audit event has id " + id);
    this.id = id;
  }

  public long id() {
    return id;
  }
}
