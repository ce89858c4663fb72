package dev.remediator.alert;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One Alertmanager matcher ({@code =}, {@code !=}, {@code =~}, {@code !~}). Regexes are fully
 * anchored and compiled once; a missing label matches as the empty string. java.util.regex
 * recurses as it matches (once per node, and once per repetition of a group), so a regex can
 * overflow the stack: one too long to match even the empty string is refused when built, and
 * one that overflows on a long label value matches nothing, with either operator, so a rule
 * that cannot be evaluated for an alert does not run for it.
 */
public record LabelMatcher(String name, Op op, String value, Pattern pattern) {
  public enum Op {
    EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  public LabelMatcher {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(value, "value");
  }

  /** Builds a matcher; throws IllegalArgumentException naming the bad regex. */
  public static LabelMatcher of(String name, Op op, String value) {
    Pattern pattern = null;
    if (op == Op.REGEX || op == Op.NOT_REGEX) {
      try {
        pattern = Pattern.compile("^(?:" + value + ")$");
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("bad regex " + Labels.quote(value) + ": " + e.getDescription(), e);
      }
      if (fullMatch(pattern, "") == null) {
        throw new IllegalArgumentException("bad regex " + Labels.quote(value)
            + ": too long to evaluate (matching overflows the stack)");
      }
    }
    return new LabelMatcher(name, op, value, pattern);
  }

  public boolean matches(Labels labels) {
    String actual = labels.get(name);
    return switch (op) {
      case EQUAL -> actual.equals(value);
      case NOT_EQUAL -> !actual.equals(value);
      case REGEX -> Boolean.TRUE.equals(fullMatch(pattern, actual));
      case NOT_REGEX -> Boolean.FALSE.equals(fullMatch(pattern, actual));
    };
  }

  /** Whether {@code pattern} matches all of {@code text}; null when matching overflows the stack. */
  private static Boolean fullMatch(Pattern pattern, String text) {
    try {
      return pattern.matcher(text).matches();
    } catch (StackOverflowError e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return name + op.symbol() + Labels.quote(value);
  }
}
