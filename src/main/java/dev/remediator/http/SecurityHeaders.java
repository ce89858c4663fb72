package dev.remediator.http;

import io.javalin.http.Context;

/**
 * Headers every answer carries so a browser treats alert text as data: no inline or foreign
 * script, no framing, no MIME sniffing, no referrer leaking a URL with filters in it.
 */
public final class SecurityHeaders {
  public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
      + "object-src 'none'";

  private SecurityHeaders() {}

  /** The {@code before} handler that sets the headers on every answer. */
  public static void apply(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
  }
}
