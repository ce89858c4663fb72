package dev.remediator.resilience;

import dev.remediator.rules.BreakerSettings;
import dev.remediator.store.BreakerKey;
import dev.remediator.store.BreakerState;
import java.time.Instant;

/**
 * One breaker as an operator sees it now: its state (an open breaker whose time is up shows as
 * half open), the calls and failures in its window, when it opened and until when, and the
 * settings it runs under. For an alert group's breaker, {@code calls} counts the group's
 * successful remediations in the window, which is what opens it.
 */
public record BreakerView(BreakerKey key, BreakerState state, int failures, int calls, Instant openedAt,
                          Instant openUntil, BreakerSettings settings) {}
