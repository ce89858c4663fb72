package dev.remediator.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * The kill switch in force: why, who pulled it, since when, and until when ({@code endsAt}
 * empty: until someone resumes). Times are kept to the second, as people read and type them.
 */
public record Pause(String reason, String actor, Instant since, Optional<Instant> endsAt) {
  public Pause {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(since, "since");
    since = since.truncatedTo(ChronoUnit.SECONDS);
    endsAt = endsAt == null ? Optional.empty() : endsAt.map(end -> end.truncatedTo(ChronoUnit.SECONDS));
  }

  /** True while the pause holds at {@code now}: it has no end, or its end is still to come. */
  public boolean holdsAt(Instant now) {
    return endsAt.isEmpty() || endsAt.get().isAfter(now);
  }

  /** "until 2026-11-22T11:00:00Z", or "until resumed". */
  public String until() {
    return endsAt.map(end -> "until " + end).orElse("until resumed");
  }
}
