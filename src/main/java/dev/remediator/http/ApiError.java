package dev.remediator.http;

import io.javalin.http.Context;

/**
 * The one error body every endpoint answers with: the HTTP status, the field the error is about
 * (empty when it is about the request as a whole) and the reason, never a stack trace.
 */
public record ApiError(int status, String field, String reason) {
  public ApiError {
    field = field == null ? "" : field;
  }

  private static final String SENT = "remediator.api-error";

  public void send(Context ctx) {
    ctx.attribute(SENT, Boolean.TRUE);
    ctx.status(status).json(this);
  }

  /** True when a handler already answered with an ApiError (so generic error pages stay out). */
  public static boolean wasSent(Context ctx) {
    return Boolean.TRUE.equals(ctx.attribute(SENT));
  }
}
