package dev.remediator.store;

import dev.remediator.alert.Notification;
import java.time.Instant;
import java.util.Objects;

/**
 * A parsed notification waiting to be stored, with its raw body and who sent it. A replay's
 * alerts are held for the replay to decide ({@code heldUntil}); a webhook's are not (null).
 */
public record IncomingNotification(Notification notification, String payload, String actor, Instant receivedAt,
                                   Instant heldUntil) {
  public IncomingNotification {
    Objects.requireNonNull(notification, "notification");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }

  /** A notification whose alerts the decider decides as soon as they are stored. */
  public IncomingNotification(Notification notification, String payload, String actor, Instant receivedAt) {
    this(notification, payload, actor, receivedAt, null);
  }
}
