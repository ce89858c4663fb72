package dev.remediator.upstream;

import dev.remediator.alert.Labels;
import java.time.Instant;
import java.util.Objects;

/**
 * A silence to create: equality matchers on every one of {@code labels}, from {@code startsAt}
 * to {@code endsAt}, signed by {@code createdBy} with a {@code comment} that says why.
 */
public record SilenceRequest(Labels labels, Instant startsAt, Instant endsAt, String createdBy, String comment) {
  public SilenceRequest {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(startsAt, "startsAt");
    Objects.requireNonNull(endsAt, "endsAt");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(comment, "comment");
    if (labels.asMap().isEmpty()) {
      throw new IllegalArgumentException("a silence needs at least one label to match, or it would silence everything");
    }
    if (!endsAt.isAfter(startsAt)) {
      throw new IllegalArgumentException("a silence must end after it starts, but ends at " + endsAt
          + " and starts at " + startsAt);
    }
  }
}
