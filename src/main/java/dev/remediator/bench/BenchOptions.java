package dev.remediator.bench;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import okhttp3.HttpUrl;

/**
 * One bench run as asked for on the command line, checked: each bad value is refused with a
 * message that names its flag. {@code databaseUrl} is remediator's store, read to follow the
 * run's alerts to their decisions, and where the reference endpoints write.
 */
public record BenchOptions(HttpUrl url, Optional<String> token, LoadModel model, Duration duration, Duration warmup,
                           int alertsPerNotification, OptionalInt distinct, Optional<String> databaseUrl,
                           boolean reference, Duration settle) {
  /** A body of this many alerts stays well below the webhook's 1 MiB limit. */
  public static final int MAX_ALERTS_PER_NOTIFICATION = 1000;

  public BenchOptions {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(model, "model");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration must be longer than 0, but was " + duration);
    }
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("--warmup must not be negative, but was " + warmup);
    }
    if (settle.isNegative()) {
      throw new IllegalArgumentException("--settle must not be negative, but was " + settle);
    }
    if (alertsPerNotification < 1 || alertsPerNotification > MAX_ALERTS_PER_NOTIFICATION) {
      throw new IllegalArgumentException("--alerts-per-notification must be between 1 and "
          + MAX_ALERTS_PER_NOTIFICATION + ", but was " + alertsPerNotification);
    }
    if (distinct.isPresent() && distinct.getAsInt() < alertsPerNotification) {
      throw new IllegalArgumentException("--distinct must be at least --alerts-per-notification ("
          + alertsPerNotification + "): a notification never holds the same alert twice, but was "
          + distinct.getAsInt());
    }
    databaseUrl.ifPresent(jdbc -> {
      if (!jdbc.startsWith("jdbc:postgresql:") && !jdbc.startsWith("jdbc:sqlite:")) {
        throw new IllegalArgumentException("--database-url must start with jdbc:postgresql: or jdbc:sqlite:");
      }
    });
    if (reference && databaseUrl.isEmpty()) {
      throw new IllegalArgumentException("--reference needs --database-url: the naive reference endpoint writes to "
          + "the database remediator uses, so that both are measured against the same store");
    }
  }
}
