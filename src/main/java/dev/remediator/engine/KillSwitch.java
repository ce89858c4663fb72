package dev.remediator.engine;

import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditEvent.Kind;
import dev.remediator.audit.AuditLog;
import dev.remediator.store.Database;
import dev.remediator.store.Pause;
import dev.remediator.store.PauseStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kill switch: while paused, every decision is skipped and no queued remediation is claimed.
 * The state lives in the store, so every replica obeys one pause and it survives restarts; each
 * change is audited with its actor. A pause with an end time ends by itself: the first reader
 * after that time deletes it and audits the end, once, whichever replica it runs on.
 *
 * <p>The decider and the claimer ask {@link #recent()}, which reads the store at most once per
 * {@link #RECENT} of the injected clock, so an alert storm costs one read per batch, not one per
 * alert; a change made through this instance is seen at once.
 */
public final class KillSwitch {
  /** How long {@link #recent()} trusts its last read. */
  public static final Duration RECENT = Duration.ofSeconds(1);
  private static final String EXPIRY_ACTOR = "remediator";
  private static final Logger log = LoggerFactory.getLogger(KillSwitch.class);

  private final Database database;
  private final PauseStore store;
  private final AuditLog audit;
  private final Clock clock;
  private volatile Reading last;

  /** One read of the store: what it held, and when it was read. */
  private record Reading(Optional<Pause> pause, Instant at) {}

  public KillSwitch(Database database, PauseStore store, AuditLog audit, Clock clock) {
    this.database = database;
    this.store = store;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * Pauses for {@code actor}, for {@code lasting} (empty: until resumed), replacing any pause in
   * force; returns the pause.
   */
  public Pause pause(String actor, String reason, Optional<Duration> lasting) {
    Instant now = clock.instant();
    Pause pause = new Pause(reason, actor, now, lasting.map(now::plus));
    database.inTransaction(connection -> {
      List<AuditEvent> events = new ArrayList<>();
      endIfPassed(connection, now, events);
      store.pause(connection, pause);
      events.add(paused(pause));
      audit.append(connection, events);
      return null;
    });
    last = new Reading(Optional.of(pause), now);
    log.atWarn().addKeyValue("actor", actor).addKeyValue("reason", reason).addKeyValue("until", pause.until())
        .log("remediator paused by {} {}: {}", actor, pause.until(), reason);
    return pause;
  }

  /** Resumes for {@code actor}; returns the pause that ended, or empty when none was in force. */
  public Optional<Pause> resume(String actor) {
    Instant now = clock.instant();
    Optional<Pause> ended = database.inTransaction(connection -> {
      List<AuditEvent> events = new ArrayList<>();
      Optional<Pause> expired = endIfPassed(connection, now, events);
      Optional<Pause> resumed = expired.isPresent() ? Optional.empty() : store.end(connection);
      resumed.ifPresent(pause -> events.add(resumed(now, actor, "resumed", pause)));
      audit.append(connection, events);
      return resumed;
    });
    last = new Reading(Optional.empty(), now);
    ended.ifPresent(pause -> log.atWarn().addKeyValue("actor", actor).addKeyValue("reason", pause.reason())
        .log("remediator resumed by {}; it was paused by {}: {}", actor, pause.actor(), pause.reason()));
    return ended;
  }

  /** The pause in force now, read from the store; a pause whose end has passed is ended and audited. */
  public Optional<Pause> current() {
    Instant now = clock.instant();
    Optional<Pause> pause = database.inTransaction(connection -> {
      List<AuditEvent> events = new ArrayList<>();
      endIfPassed(connection, now, events);
      audit.append(connection, events);
      return store.current(connection);
    });
    last = new Reading(pause, now);
    return pause;
  }

  /** The pause in force, from a read of the store no older than {@link #RECENT}. */
  public Optional<Pause> recent() {
    Instant now = clock.instant();
    Reading reading = last;
    if (reading != null && !now.isBefore(reading.at()) && now.isBefore(reading.at().plus(RECENT))
        && reading.pause().map(pause -> pause.holdsAt(now)).orElse(true)) {
      return reading.pause();
    }
    return current();
  }

  /** True while paused, from the last read; for the gauge, which must not touch the store. */
  public boolean lastKnownPaused() {
    Reading reading = last;
    return reading != null && reading.pause().map(pause -> pause.holdsAt(clock.instant())).orElse(false);
  }

  /**
   * Pauses for {@code actor} until resumed, in the caller's transaction, unless a pause is in
   * force already; adds the audit event to {@code events} and returns the new pause, or empty.
   * Call {@link #changed} with it once the transaction has committed.
   */
  public Optional<Pause> pauseUnlessPaused(Connection connection, String actor, String reason, Instant now,
                                           List<AuditEvent> events) throws SQLException {
    endIfPassed(connection, now, events);
    Pause pause = new Pause(reason, actor, now, Optional.empty());
    if (!store.pauseUnlessPaused(connection, pause)) {
      return Optional.empty();
    }
    events.add(paused(pause));
    return Optional.of(pause);
  }

  /** Records a pause committed by {@link #pauseUnlessPaused}, so {@link #recent()} sees it at once. */
  public void changed(Pause pause) {
    last = new Reading(Optional.of(pause), pause.since());
    log.atWarn().addKeyValue("actor", pause.actor()).addKeyValue("reason", pause.reason())
        .log("remediator paused itself: {}; an operator must resume it", pause.reason());
  }

  private Optional<Pause> endIfPassed(Connection connection, Instant now, List<AuditEvent> events)
      throws SQLException {
    Optional<Pause> expired = store.endIfPassed(connection, now);
    expired.ifPresent(pause -> {
      events.add(resumed(now, EXPIRY_ACTOR, "expired", pause));
      log.atInfo().addKeyValue("reason", pause.reason())
          .log("the pause by {} ended at {}; remediator acts again", pause.actor(), pause.endsAt().orElse(now));
    });
    return expired;
  }

  private static AuditEvent paused(Pause pause) {
    return AuditEvent.system(pause.since(), Kind.PAUSED, pause.actor(), "paused", describe(pause));
  }

  private static AuditEvent resumed(Instant at, String actor, String outcome, Pause pause) {
    return AuditEvent.system(at, Kind.RESUMED, actor, outcome, describe(pause));
  }

  /** The facts of a pause as audited: reason, who paused, since, and until (empty: until resumed). */
  private static Map<String, Object> describe(Pause pause) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("reason", pause.reason());
    detail.put("pausedBy", pause.actor());
    detail.put("since", pause.since().toString());
    detail.put("until", pause.endsAt().map(Instant::toString).orElse(""));
    return detail;
  }
}
