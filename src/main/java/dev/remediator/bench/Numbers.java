package dev.remediator.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Number formatting shared by the reports. */
final class Numbers {
  private Numbers() {}

  /** {@code value} without a trailing ".0": 200, 0.5, 12.25. */
  static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** Nanoseconds as milliseconds rounded to 3 decimals. */
  static double millis(long nanos) {
    return round(nanos / 1e6, 3);
  }

  static double round(double value, int decimals) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return value;
    }
    return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
  }
}
