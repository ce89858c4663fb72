package dev.remediator.intake;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Parses RFC 3339 timestamps the way Alertmanager writes them ({@code 2026-11-22T10:00:00Z},
 * {@code 2026-11-22T10:00:00.123456789+01:00}) without regexes or exceptions on the hot path.
 * Seconds are required; the fraction may have one to nine digits.
 */
public final class Rfc3339 {
  /** Go's zero {@code time.Time}, which Alertmanager sends as the endsAt of firing alerts. */
  static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  private static final int SECONDS_PER_DAY = 86_400;

  private Rfc3339() {}

  /** The instant {@code text} denotes, or null when it is not an RFC 3339 date-time. */
  public static Instant parse(String text) {
    int length = text.length();
    if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || !isT(text.charAt(10))
        || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23
        || minute < 0 || minute > 59 || second < 0 || second > 59
        || day > LocalDate.of(year, month, 1).lengthOfMonth()) {
      return null;
    }
    int index = 19;
    int nanos = 0;
    if (text.charAt(index) == '.') {
      int start = ++index;
      while (index < length && isDigit(text.charAt(index))) {
        index++;
      }
      int count = index - start;
      if (count < 1 || count > 9) {
        return null;
      }
      nanos = digits(text, start, count);
      for (int i = count; i < 9; i++) {
        nanos *= 10;
      }
    }
    int offsetSeconds = offset(text, index);
    if (offsetSeconds == Integer.MIN_VALUE) {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    long seconds = epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second - offsetSeconds;
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /** The zone offset that ends {@code text} at {@code index} in seconds, or MIN_VALUE. */
  private static int offset(String text, int index) {
    int remaining = text.length() - index;
    if (remaining == 1 && (text.charAt(index) == 'Z' || text.charAt(index) == 'z')) {
      return 0;
    }
    char sign = remaining == 6 ? text.charAt(index) : ' ';
    if ((sign != '+' && sign != '-') || text.charAt(index + 3) != ':') {
      return Integer.MIN_VALUE;
    }
    int hours = digits(text, index + 1, 2);
    int minutes = digits(text, index + 4, 2);
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
      return Integer.MIN_VALUE;
    }
    int seconds = hours * 3600 + minutes * 60;
    return sign == '-' ? -seconds : seconds;
  }

  /** The decimal value of {@code count} digits at {@code start}, or -1 if any is not a digit. */
  private static int digits(String text, int start, int count) {
    int value = 0;
    for (int i = start; i < start + count; i++) {
      char c = text.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isT(char c) {
    return c == 'T' || c == 't';
  }
}
