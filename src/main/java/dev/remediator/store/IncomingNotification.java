package dev.remediator.store;

import dev.remediator.alert.Notification;
import java.time.Instant;
import java.util.Objects;

/** A parsed notification waiting to be stored, with its raw body and who sent it. */
public record IncomingNotification(Notification notification, String payload, String actor, Instant receivedAt) {
  public IncomingNotification {
    Objects.requireNonNull(notification, "notification");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }
}
