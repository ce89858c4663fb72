package dev.remediator.store;

import java.util.Locale;

/**
 * Where a circuit breaker stands: closed (calls run), open (calls are refused until a time) or
 * half open (one trial call may run). {@link #gaugeValue()} is what the breaker gauge exports.
 */
public enum BreakerState {
  CLOSED(0),
  OPEN(1),
  HALF_OPEN(2);

  private final int gaugeValue;

  BreakerState(int gaugeValue) {
    this.gaugeValue = gaugeValue;
  }

  public int gaugeValue() {
    return gaugeValue;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static BreakerState fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
