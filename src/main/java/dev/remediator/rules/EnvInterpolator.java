package dev.remediator.rules;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Expands {@code ${NAME}}, {@code ${NAME:-default}} (default when unset or empty) and {@code $$}
 * (a literal {@code $}) in rules-file strings, once at load, from an injected environment. A lone
 * {@code $} stays as it is, so regexes such as {@code foo$} need no escaping. Never applied to
 * alert values.
 */
final class EnvInterpolator {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, String> env;

  EnvInterpolator(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** The expanded text; throws IllegalArgumentException naming the unset variable or bad syntax. */
  String interpolate(String text) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
      if (c == '$' && next == '$') {
        out.append('$');
        i += 2;
      } else if (c == '$' && next == '{') {
        int close = text.indexOf('}', i + 2);
        if (close < 0) {
          throw new IllegalArgumentException("unterminated \"${\" in " + Quote.of(text));
        }
        out.append(expand(text.substring(i + 2, close), text));
        i = close + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private String expand(String body, String text) {
    int separator = body.indexOf(":-");
    String name = separator < 0 ? body : body.substring(0, separator);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid environment variable name " + Quote.of(name) + " in " + Quote.of(text));
    }
    String value = env.get(name);
    if (separator >= 0) {
      String fallback = body.substring(separator + 2);
      if (fallback.contains("${")) {
        throw new IllegalArgumentException("nested \"${\" in the default of " + name + " is not supported: " + Quote.of(text));
      }
      if (value == null || value.isEmpty()) {
        value = fallback;
      }
    }
    if (value == null) {
      throw new IllegalArgumentException("environment variable " + name + " is not set");
    }
    return value;
  }
}
