package dev.remediator.intake;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;

/**
 * Turns Jackson's read failures into {@link PayloadException}s whose reasons are safe to send
 * back to a client: a position, a short description, no class names, no echo of the input.
 */
final class JsonErrors {
  static final int MAX_DEPTH = 64;

  private static final int MAX_DESCRIPTION = 120;
  private static final String[] NOISE_MARKERS = {" (start marker at", " (for ", "[Source:", ", from `", " at [", "\n"};
  private static final String EXPECTING_VALUE =
      "was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

  private JsonErrors() {}

  static PayloadException from(IOException e) {
    if (e instanceof StreamConstraintsException && isNestingLimit(e)) {
      return new PayloadException(400, "", "JSON nested deeper than " + MAX_DEPTH + " levels", e);
    }
    String description = isEndOfInput(e) ? "unexpected end of input" : describe(e);
    JsonLocation location = e instanceof JsonProcessingException jpe ? jpe.getLocation() : null;
    return malformed(location, description, e);
  }

  static PayloadException malformed(JsonLocation location, String description, Throwable cause) {
    String where = location == null || location.getLineNr() < 1
        ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    return new PayloadException(400, "", "malformed JSON" + where + ": " + description, cause);
  }

  private static boolean isEndOfInput(IOException e) {
    if (e instanceof JsonEOFException) {
      return true;
    }
    String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : null;
    return message != null && message.startsWith("Unexpected end-of-input");
  }

  private static boolean isNestingLimit(IOException e) {
    String message = ((StreamConstraintsException) e).getOriginalMessage();
    return message != null && message.contains("nesting depth");
  }

  /** Jackson's own words, cut before any location or class reference, printable and bounded. */
  private static String describe(IOException e) {
    String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    if (message == null || message.isBlank()) {
      return "unreadable input";
    }
    message = message.replace(EXPECTING_VALUE, "expected a JSON value");
    int end = message.length();
    for (String marker : NOISE_MARKERS) {
      int at = message.indexOf(marker);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    StringBuilder out = new StringBuilder(Math.min(end, MAX_DESCRIPTION + 3));
    for (int i = 0; i < end && out.length() < MAX_DESCRIPTION; i++) {
      char c = message.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (end > MAX_DESCRIPTION) {
      out.append("...");
    }
    String text = out.toString().strip();
    if (text.isEmpty()) {
      return "unreadable input";
    }
    return Character.toLowerCase(text.charAt(0)) + text.substring(1);
  }
}
