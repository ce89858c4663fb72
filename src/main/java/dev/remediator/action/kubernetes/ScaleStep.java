package dev.remediator.action.kubernetes;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One step of {@code scale}: by {@code factor} (new = ceil(current x factor)) or by {@code step}
 * (new = current + step), then held within {@code minReplicas} and {@code maxReplicas}. The
 * bounds never turn a step around: scaling up from above max_replicas, or down from below
 * min_replicas, leaves the count as it is.
 */
record ScaleStep(BigDecimal factor, Integer step, int minReplicas, Integer maxReplicas) {
  ScaleStep {
    if ((factor == null) == (step == null)) {
      throw new IllegalArgumentException("give factor or step, not both or neither");
    }
    if (maxReplicas != null && maxReplicas < minReplicas) {
      throw new IllegalArgumentException("maxReplicas " + maxReplicas + " is less than minReplicas " + minReplicas);
    }
  }

  /** Whether this step adds replicas. */
  boolean up() {
    return factor != null ? factor.compareTo(BigDecimal.ONE) > 0 : step > 0;
  }

  /** The replica count one step from {@code current}; {@code current} itself when the bounds leave no room. */
  int next(int current) {
    BigDecimal raw = factor != null
        ? factor.multiply(BigDecimal.valueOf(current)).setScale(0, RoundingMode.CEILING)
        : BigDecimal.valueOf((long) current + step);
    BigDecimal bounded = raw;
    if (maxReplicas != null) {
      bounded = bounded.min(BigDecimal.valueOf(maxReplicas));
    }
    bounded = bounded.max(BigDecimal.valueOf(minReplicas));
    int next = bounded.intValueExact();
    return up() ? Math.max(current, next) : Math.min(current, next);
  }

  /** {@code factor 2} or {@code step +1}, as messages say it. */
  String describe() {
    return factor != null ? "factor " + factor.stripTrailingZeros().toPlainString()
        : "step " + (step > 0 ? "+" : "") + step;
  }
}
