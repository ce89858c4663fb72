package dev.remediator.action.http;

import dev.remediator.config.Redaction;
import java.io.IOException;
import java.util.Collection;
import okhttp3.Response;

/**
 * The start of a response body as it may appear in a result, a fact or a log line: whitespace
 * collapsed, the target's secrets masked, at most {@link #CHARS} characters. Masking comes before
 * cutting, so a secret is never cut in half and half shown.
 */
public final class ResponseExcerpt {
  /** The longest excerpt, before its "..." mark. */
  public static final int CHARS = 200;
  private static final long PEEK_BYTES = 64 * 1024;

  private ResponseExcerpt() {}

  /** The excerpt of {@code response}'s body; empty when the body is. Leaves the body readable. */
  public static String of(Response response, Collection<String> secrets) {
    try {
      return of(response.peekBody(PEEK_BYTES).string(), secrets);
    } catch (IOException e) {
      return "[body unreadable: " + Redaction.secrets(String.valueOf(e.getMessage()), secrets) + "]";
    }
  }

  /** The excerpt of {@code text}. */
  public static String of(String text, Collection<String> secrets) {
    String masked = Redaction.secrets(text, secrets).replaceAll("\\s+", " ").strip();
    return masked.length() > CHARS ? masked.substring(0, CHARS) + "..." : masked;
  }
}
