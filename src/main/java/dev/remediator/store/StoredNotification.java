package dev.remediator.store;

import java.util.List;

/**
 * What the store made of one notification: its id and, per alert in payload order, whether the
 * occurrence was new (true) or one the store already held (a duplicate).
 */
public record StoredNotification(long id, List<Boolean> isNew) {
  public StoredNotification {
    isNew = List.copyOf(isNew);
  }

  public int newAlerts() {
    return (int) isNew.stream().filter(Boolean::booleanValue).count();
  }

  public int duplicateAlerts() {
    return isNew.size() - newAlerts();
  }
}
