package dev.remediator.rules;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a number must be for a guard or a check to hold, written as an SRE writes it in a rules
 * file: {@code '>= 0.8'}, {@code '< 0.05'}, {@code '== 0'}.
 */
public record Expectation(Op op, double value) {
  private static final Pattern FORM = Pattern.compile("\\s*(>=|<=|==|!=|>|<)\\s*(\\S+)\\s*");

  /** The comparison; its symbol is how it is written and audited. */
  public enum Op {
    GE(">="), LE("<="), EQ("=="), NE("!="), GT(">"), LT("<");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    static Op of(String symbol) {
      for (Op op : values()) {
        if (op.symbol.equals(symbol)) {
          return op;
        }
      }
      throw new IllegalArgumentException("unknown comparison " + symbol);
    }
  }

  /** Parses {@code '>= 0.8'}; throws {@link IllegalArgumentException} with a readable reason. */
  public static Expectation parse(String text) {
    Matcher matcher = FORM.matcher(text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("must be a comparison and a number, such as '>= 0.8' or '< 0.05', but was "
          + Quote.of(text));
    }
    double value;
    try {
      value = Double.parseDouble(matcher.group(2));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must compare with a number, but " + Quote.of(matcher.group(2)) + " is not one");
    }
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("must compare with a finite number, but was " + Quote.of(matcher.group(2)));
    }
    return new Expectation(Op.of(matcher.group(1)), value);
  }

  /** True when {@code seen} meets the expectation; NaN never does. */
  public boolean test(double seen) {
    if (Double.isNaN(seen)) {
      return false;
    }
    return switch (op) {
      case GE -> seen >= value;
      case LE -> seen <= value;
      case EQ -> seen == value;
      case NE -> seen != value;
      case GT -> seen > value;
      case LT -> seen < value;
    };
  }

  @Override
  public String toString() {
    return op.symbol + " " + number(value);
  }

  /** A number as an SRE writes it: {@code 1} rather than {@code 1.0}, {@code 0.5}, {@code +Inf}. */
  public static String number(double value) {
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? String.format(Locale.ROOT, "%d", (long) value) : Double.toString(value);
  }
}
