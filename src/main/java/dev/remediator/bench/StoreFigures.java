package dev.remediator.bench;

import java.time.Duration;
import java.util.Optional;

/**
 * What the store says about one run's alerts (those whose fingerprint starts with the run id).
 * {@code toDecision}: alert.decided_at minus alert.received_at. {@code toActionStart}: the first
 * 'started' audit event of a remediation of the alert minus its received_at (none in dry run);
 * {@code actionsNotStarted}: remediations decided to run that no worker had started when read.
 * {@code allDecidedAfter}: from the first of these alerts received to the last decided, present
 * only when every one was decided. {@code settleWait}: how long the bench waited after the load
 * for the last decision and action start (or gave up, at the settle limit). All store times are
 * the server's clock.
 */
public record StoreFigures(String fingerprintPrefix, long stored, long decided, long decideFailed, long notDecided,
                           LatencySummary toDecision, LatencySummary toActionStart, long actionsNotStarted,
                           Optional<Duration> allDecidedAfter, Duration settleWait) {}
