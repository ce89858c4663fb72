package dev.remediator.rules;

/**
 * Quotes values for problem and refusal messages: double quotes, backslash escapes, and control
 * or format characters (a bidi override, say) written as {@code \\uXXXX}, so a message shows
 * exactly what was there. {@link #cut} also shortens values that come from alerts.
 */
final class Quote {
  static final int LIMIT = 64;

  private Quote() {}

  static String of(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** Like {@link #of}, but keeps only the first 64 characters and marks the cut with "...". */
  static String cut(String text) {
    if (text.length() <= LIMIT) {
      return of(text);
    }
    int end = Character.isHighSurrogate(text.charAt(LIMIT - 1)) ? LIMIT - 1 : LIMIT;
    return of(text.substring(0, end)) + "...";
  }
}
