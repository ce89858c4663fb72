package dev.remediator.alert;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An Alertmanager webhook notification (payload version 4) with every field it defines.
 * {@code notificationReason} is only sent by newer Alertmanagers.
 */
public record Notification(String version, String groupKey, int truncatedAlerts, AlertStatus status,
                           String receiver, Labels groupLabels, Labels commonLabels,
                           Labels commonAnnotations, String externalURL,
                           Optional<String> notificationReason, List<Alert> alerts) {
  public Notification {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(status, "status");
    groupKey = groupKey == null ? "" : groupKey;
    receiver = receiver == null ? "" : receiver;
    externalURL = externalURL == null ? "" : externalURL;
    groupLabels = groupLabels == null ? Labels.EMPTY : groupLabels;
    commonLabels = commonLabels == null ? Labels.EMPTY : commonLabels;
    commonAnnotations = commonAnnotations == null ? Labels.EMPTY : commonAnnotations;
    notificationReason = notificationReason == null ? Optional.empty() : notificationReason;
    alerts = List.copyOf(alerts);
    if (truncatedAlerts < 0) {
      throw new IllegalArgumentException("truncatedAlerts must not be negative, but was " + truncatedAlerts);
    }
  }
}
