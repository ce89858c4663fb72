package dev.remediator.audit;

import dev.remediator.store.Database;
import dev.remediator.testing.FreshStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit reader on the embedded store, a fresh one per test. */
class AuditReaderSqliteTest extends AuditReaderContract {
  @RegisterExtension
  final FreshStore store = FreshStore.inMemory();

  @Override
  Database database() {
    return store.database();
  }
}
