package dev.remediator.alert;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One Alertmanager matcher ({@code =}, {@code !=}, {@code =~}, {@code !~}). Regexes are fully
 * anchored and compiled once; a missing label matches as the empty string.
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
    }
    return new LabelMatcher(name, op, value, pattern);
  }

  public boolean matches(Labels labels) {
    String actual = labels.get(name);
    return switch (op) {
      case EQUAL -> actual.equals(value);
      case NOT_EQUAL -> !actual.equals(value);
      case REGEX -> pattern.matcher(actual).matches();
      case NOT_REGEX -> !pattern.matcher(actual).matches();
    };
  }

  @Override
  public String toString() {
    return name + op.symbol() + Labels.quote(value);
  }
}
