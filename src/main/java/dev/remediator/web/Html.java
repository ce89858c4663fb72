package dev.remediator.web;

/**
 * The one way text enters the HTML this server writes: every value, whether a label, a filter
 * typed into the address bar or a token echoed in a form, goes through {@link #escape}, which is
 * safe both between tags and inside a double- or single-quoted attribute.
 */
public final class Html {
  private Html() {}

  /** {@code text} with {@code & < > " '} replaced by character references; null becomes empty. */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
