package dev.remediator.audit;

import dev.remediator.store.Database;
import dev.remediator.testing.FreshStore;
import java.sql.Statement;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit chain on the embedded store; tampering drops the append-only triggers first. */
class SqliteAuditChainTest extends AuditChainContract {
  @RegisterExtension
  final FreshStore store = FreshStore.inMemory();

  @Override
  Database database() {
    return store.database();
  }

  @Override
  void tamper(String... statements) {
    database().inTransaction(c -> {
      try (Statement statement = c.createStatement()) {
        for (String trigger : new String[] {"audit_event_no_update", "audit_event_no_delete", "audit_seal_no_update",
            "audit_seal_no_delete"}) {
          statement.execute("drop trigger if exists " + trigger);
        }
        for (String sql : statements) {
          statement.execute(sql);
        }
      }
      return null;
    });
  }

  @Override
  void forgeLink(long seq, long eventId, String prevHash, String hash) {
    tamper("insert into audit_seal (seq, event_id, prev_hash, hash) values (" + seq + ", " + eventId + ", '"
        + prevHash + "', '" + hash + "')");
  }
}
