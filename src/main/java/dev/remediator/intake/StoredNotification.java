package dev.remediator.intake;

/** What the store made of one notification: its id and how many of its alerts were new. */
public record StoredNotification(long id, int newAlerts, int duplicateAlerts) {}
