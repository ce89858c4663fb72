package dev.remediator.rules;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus duration syntax: one or more {@code <number><unit>} parts, units from largest to
 * smallest ({@code y w d h m s ms}), e.g. {@code 90s}, {@code 15m}, {@code 1h30m}; or {@code 0}.
 */
public final class PromDuration {
  private static final Pattern SYNTAX = Pattern.compile(
      "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final long[] UNIT_MILLIS = {
      365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1_000, 1};

  private PromDuration() {}

  /** Parses {@code text}; throws IllegalArgumentException whose message quotes the bad value. */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher matcher = SYNTAX.matcher(text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("not a valid duration string: \"" + text + "\" (use e.g. 90s, 15m, 1h30m)");
    }
    long millis = 0;
    boolean any = false;
    for (int group = 1; group <= UNIT_MILLIS.length; group++) {
      String digits = matcher.group(group);
      if (digits != null) {
        any = true;
        try {
          millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(digits), UNIT_MILLIS[group - 1]));
        } catch (ArithmeticException | NumberFormatException e) {
          throw new IllegalArgumentException("duration out of range: \"" + text + "\"", e);
        }
      }
    }
    if (!any) {
      throw new IllegalArgumentException("not a valid duration string: \"" + text + "\" (use e.g. 90s, 15m, 1h30m)");
    }
    return Duration.ofMillis(millis);
  }

  /** Formats a duration back into the shortest Prometheus form, e.g. {@code 1h30m}. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis == 0) {
      return "0s";
    }
    String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < UNIT_MILLIS.length; i++) {
      long count = millis / UNIT_MILLIS[i];
      if (count > 0) {
        out.append(count).append(units[i]);
        millis -= count * UNIT_MILLIS[i];
      }
    }
    return out.toString();
  }
}
