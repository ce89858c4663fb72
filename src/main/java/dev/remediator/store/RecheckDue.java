package dev.remediator.store;

import java.util.Map;

/**
 * A remediation interrupted while its alert still fired, waiting to be decided again: its rule,
 * action and target, its cooldown group, the params it was decided with (any pinned state
 * included, so deciding again never pins anew) and the alert it is for.
 */
public record RecheckDue(RemediationRef remediation, String groupKey, Map<String, Object> params, StoredAlert alert) {}
