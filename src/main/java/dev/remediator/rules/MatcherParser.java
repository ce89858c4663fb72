package dev.remediator.rules;

import dev.remediator.alert.LabelMatcher;
import dev.remediator.alert.LabelMatcher.Op;

/**
 * Parses one matcher as written in a rule's {@code match:} list, with Alertmanager's syntax and
 * semantics: {@code NAME OP VALUE} with OP one of {@code = != =~ !~}, whitespace allowed around
 * each part, the value optionally double-quoted, and inside it {@code \"}, {@code \\} and
 * {@code \n} escapes (any other backslash is literal). Regexes are fully anchored. Unlike
 * Alertmanager's comma-separated form, one list entry holds exactly one matcher.
 */
public final class MatcherParser {
  private static final String ONE_PER_ENTRY =
      "found \",\" outside quotes; write each matcher as its own list entry";

  private MatcherParser() {}

  /** The matcher; throws IllegalArgumentException whose message quotes {@code input}. */
  public static LabelMatcher parse(String input) {
    int end = input.length();
    while (end > 0 && isSpace(input.charAt(end - 1))) {
      end--;
    }
    int i = skipSpace(input, 0);
    if (i >= end) {
      throw bad(input, "empty matcher, expected NAME OP VALUE such as alertname=\"HighErrorRate\"");
    }
    int nameStart = i;
    while (i < end && !isSpace(input.charAt(i)) && "=!~\"".indexOf(input.charAt(i)) < 0) {
      i++;
    }
    String name = input.substring(nameStart, i);
    if (name.isEmpty()) {
      throw bad(input, "label name is empty");
    }
    if (!isLabelName(name)) {
      throw bad(input, "invalid label name " + Quote.of(name) + " (must match [a-zA-Z_:][a-zA-Z0-9_:]*)");
    }
    i = skipSpace(input, i);
    Op op = operator(input, i);
    if (op == null) {
      String found = i < end ? "found " + Quote.of(input.substring(i, Math.min(i + 2, end))) : "found nothing";
      throw bad(input, "expected one of =, !=, =~, !~ after label name " + Quote.of(name) + ", but " + found);
    }
    i = skipSpace(input, i + op.symbol().length());
    String value = value(input, input.substring(Math.min(i, end), end));
    try {
      return LabelMatcher.of(name, op, value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad matcher " + Quote.of(input) + ": " + e.getMessage(), e);
    }
  }

  private static Op operator(String input, int i) {
    if (input.startsWith("=~", i)) {
      return Op.REGEX;
    }
    if (input.startsWith("!=", i)) {
      return Op.NOT_EQUAL;
    }
    if (input.startsWith("!~", i)) {
      return Op.NOT_REGEX;
    }
    if (input.startsWith("=", i)) {
      return Op.EQUAL;
    }
    return null;
  }

  private static String value(String input, String raw) {
    if (raw.isEmpty()) {
      throw bad(input, "value is missing (write \"\" to match an empty or missing label)");
    }
    boolean quoted = raw.charAt(0) == '"';
    if (!quoted && raw.indexOf(',') >= 0) {
      throw bad(input, ONE_PER_ENTRY);
    }
    String body = quoted ? raw.substring(1) : raw;
    StringBuilder value = new StringBuilder(body.length());
    boolean closed = false;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\' && i + 1 < body.length()) {
        char next = body.charAt(++i);
        switch (next) {
          case 'n' -> value.append('\n');
          case '"', '\\' -> value.append(next);
          default -> value.append('\\').append(next);
        }
      } else if (c == '"') {
        if (!quoted || i != body.length() - 1) {
          throw bad(input, unescapedQuote(body, i, quoted));
        }
        closed = true;
      } else {
        value.append(c);
      }
    }
    if (quoted && !closed) {
      throw bad(input, "unterminated quoted value (no closing double quote)");
    }
    return value.toString();
  }

  private static String unescapedQuote(String body, int at, boolean quoted) {
    String rest = body.substring(at + 1);
    if (quoted && rest.contains(",")) {
      return ONE_PER_ENTRY;
    }
    return "value contains an unescaped double quote (write \\\" inside a quoted value)";
  }

  private static boolean isLabelName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
      boolean digit = c >= '0' && c <= '9';
      if (!(letter || (digit && i > 0))) {
        return false;
      }
    }
    return true;
  }

  private static int skipSpace(String text, int i) {
    while (i < text.length() && isSpace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
  }

  private static IllegalArgumentException bad(String input, String reason) {
    return new IllegalArgumentException("bad matcher " + Quote.of(input) + ": " + reason);
  }
}
