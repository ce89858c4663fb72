package dev.remediator.action.command;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One scaling step: by {@code factor} (new = ceil(current x factor)) or by {@code step}
 * (new = current + step), exactly one of them, kept within [min, max]. A step never goes against
 * its direction: scaling up never lowers a count that is already above {@code max}, scaling
 * down never raises one below {@code min}. One step per run; the rule's cooldown spaces the runs.
 */
record ReplicaStep(BigDecimal factor, Integer step, int min, int max) {
  ReplicaStep {
    if ((factor == null) == (step == null)) {
      throw new IllegalArgumentException("give factor or step, exactly one, but was factor=" + factor + ", step=" + step);
    }
    if (max < min) {
      throw new IllegalArgumentException("max must not be below min, but was " + max + " < " + min);
    }
  }

  boolean scalesUp() {
    return factor != null ? factor.compareTo(BigDecimal.ONE) > 0 : step > 0;
  }

  /** The replica count after one step from {@code current}. */
  int next(int current) {
    BigDecimal raw = factor != null
        ? BigDecimal.valueOf(current).multiply(factor).setScale(0, RoundingMode.CEILING)
        : BigDecimal.valueOf((long) current + step);
    int clamped = raw.max(BigDecimal.valueOf(min)).min(BigDecimal.valueOf(max)).intValueExact();
    return scalesUp() ? Math.max(clamped, current) : Math.min(clamped, current);
  }

  /** How the step reads in a message, e.g. {@code x2} or {@code +1}. */
  String describe() {
    return factor != null ? "x" + factor.stripTrailingZeros().toPlainString() : (step > 0 ? "+" + step : "-" + -step);
  }
}
