package dev.remediator.audit;

import java.util.List;
import java.util.OptionalLong;

/** One page of audit entries, newest first, and the cursor of the next page when there is one. */
public record AuditPage(List<AuditEntry> entries, OptionalLong next) {
  public AuditPage {
    entries = List.copyOf(entries);
  }
}
