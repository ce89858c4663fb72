package dev.remediator.store;

import dev.remediator.alert.Alert;

/** An alert occurrence as the store holds it. */
public record StoredAlert(long id, long notificationId, Alert alert) {}
