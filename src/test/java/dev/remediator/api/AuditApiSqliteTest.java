package dev.remediator.api;

import java.util.Optional;

/** The audit API on the embedded store. */
class AuditApiSqliteTest extends AuditApiContract {
  @Override
  Optional<String> databaseUrl() {
    return Optional.empty();
  }
}
