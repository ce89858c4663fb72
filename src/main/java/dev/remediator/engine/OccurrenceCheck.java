package dev.remediator.engine;

import dev.remediator.alert.AlertStatus;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.StoredAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Refuses to act on a firing alert whose timing cannot be trusted, before any guard is asked:
 * one that starts more than {@link #FUTURE_SKEW} after now (the clocks of Prometheus,
 * Alertmanager and remediator disagree, or a sender made the time up), and one whose occurrence
 * was already stored earlier, as resolved (the firing notification arrived after the resolved
 * one: the alert is over) or as firing with a start in the same millisecond (the same
 * occurrence, once from the webhook and once from Alertmanager's API, which gives milliseconds).
 */
final class OccurrenceCheck {
  /** How far in the future an alert may start before it is refused: clock skew between hosts. */
  static final Duration FUTURE_SKEW = Duration.ofMinutes(5);

  private OccurrenceCheck() {}

  /** Why {@code stored} must not be acted on, or empty when its timing is sound. */
  static Optional<String> refusal(StoredAlert stored, Instant now, Optional<AlertInbox.EarlierRow> earlier) {
    if (stored.alert().status() != AlertStatus.FIRING) {
      return Optional.empty();
    }
    Instant startsAt = stored.alert().startsAt();
    if (startsAt.isAfter(now.plus(FUTURE_SKEW))) {
      return Optional.of("startsAt " + startsAt + " lies more than " + FUTURE_SKEW.toMinutes()
          + "m in the future (now " + now + "): clocks disagree, so the alert's timing cannot be trusted");
    }
    if (earlier.isEmpty()) {
      return Optional.empty();
    }
    AlertInbox.EarlierRow row = earlier.get();
    if (row.status() == AlertStatus.RESOLVED) {
      return Optional.of("the firing notification arrived after the resolved one (stored as alert " + row.id()
          + "): the alert is over");
    }
    return Optional.of("the same occurrence was already stored as alert " + row.id()
        + " (Alertmanager's API gives startsAt to the millisecond)");
  }
}
