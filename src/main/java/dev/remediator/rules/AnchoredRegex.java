package dev.remediator.rules;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Allow patterns anchored the way Alertmanager anchors matcher regexes, so {@code crit} matches
 * only {@code crit}, never {@code critical}; and the written form back for messages.
 */
final class AnchoredRegex {
  private static final String PREFIX = "^(?:";
  private static final String SUFFIX = ")$";

  private AnchoredRegex() {}

  /** Compiles {@code regex} fully anchored; throws IllegalArgumentException quoting a bad one. */
  static Pattern compile(String regex) {
    try {
      return Pattern.compile(PREFIX + regex + SUFFIX);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("bad regex " + Quote.of(regex) + ": " + e.getDescription(), e);
    }
  }

  /** The regex as the rules file wrote it, without the anchoring added by {@link #compile}. */
  static String source(Pattern pattern) {
    String text = pattern.pattern();
    if (text.startsWith(PREFIX) && text.endsWith(SUFFIX)) {
      return text.substring(PREFIX.length(), text.length() - SUFFIX.length());
    }
    return text;
  }
}
