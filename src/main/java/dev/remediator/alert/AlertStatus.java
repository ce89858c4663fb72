package dev.remediator.alert;

import java.util.Optional;

/** Whether an alert (or a whole notification) is firing or resolved, as Alertmanager spells it. */
public enum AlertStatus {
  FIRING("firing"),
  RESOLVED("resolved");

  private final String wireName;

  AlertStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<AlertStatus> fromWire(String value) {
    for (AlertStatus status : values()) {
      if (status.wireName.equals(value)) {
        return Optional.of(status);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
