package dev.remediator.audit;

import java.util.Locale;

/**
 * The audit log's columns a reader may filter on by equality, each with the name it goes by in
 * queries and exports and the column it reads. Only these column names ever reach SQL text;
 * the values filtered for are bound.
 */
public enum AuditField {
  ALERTNAME("alertname"),
  FINGERPRINT("fingerprint"),
  RULE("rule_name"),
  ACTION("action"),
  TARGET("target"),
  OUTCOME("outcome"),
  KIND("kind"),
  ACTOR("actor");

  private final String column;

  AuditField(String column) {
    this.column = column;
  }

  /** The query parameter and field name: {@code alertname}, {@code rule}, ... */
  public String parameter() {
    return name().toLowerCase(Locale.ROOT);
  }

  String column() {
    return column;
  }
}
