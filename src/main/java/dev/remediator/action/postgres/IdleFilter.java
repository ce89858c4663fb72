package dev.remediator.action.postgres;

import dev.remediator.rules.PromDuration;
import java.time.Duration;
import java.util.Objects;

/**
 * Which client backends to terminate: idle (and, if asked, idle in a transaction) for longer
 * than {@code idleFor}, optionally only in one database, of one user or with one application
 * name (null for any), at most {@code max} of them.
 */
record IdleFilter(Duration idleFor, int max, String database, String user, String applicationName,
                  boolean includeIdleInTransaction) {
  IdleFilter {
    Objects.requireNonNull(idleFor, "idleFor");
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, but was " + max);
    }
  }

  /** {@code idleFor} in seconds, as the server's make_interval takes it. */
  double idleSeconds() {
    return idleFor.toMillis() / 1000.0;
  }

  /** How the filter reads in a message, e.g. {@code idle for more than 10m in database app}. */
  String describe() {
    StringBuilder text = new StringBuilder(includeIdleInTransaction ? "idle (or idle in transaction)" : "idle")
        .append(" for more than ").append(PromDuration.format(idleFor));
    if (database != null) {
      text.append(" in database ").append(database);
    }
    if (user != null) {
      text.append(" of user ").append(user);
    }
    if (applicationName != null) {
      text.append(" with application_name ").append(applicationName);
    }
    return text.toString();
  }
}
