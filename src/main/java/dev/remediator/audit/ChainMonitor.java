package dev.remediator.audit;

import dev.remediator.store.Database;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the audit chain for the {@code remediator_audit_chain_ok} gauge: verifies it against the
 * head the sealer has seen (periodically, and whenever the API asks) and remembers the verdict,
 * together with what the sealer itself noticed (a head that went back, another key, an unreadable
 * event). A store that cannot be read says nothing about the chain, so it leaves the verdict as it was.
 */
public final class ChainMonitor {
  private static final Logger log = LoggerFactory.getLogger(ChainMonitor.class);

  private final Database database;
  private final AuditSealer sealer;
  private final AuditVerifier verifier;
  private final AtomicReference<ChainReport> last = new AtomicReference<>();

  public ChainMonitor(Database database, AuditSealer sealer, AuditVerifier verifier) {
    this.database = database;
    this.sealer = sealer;
    this.verifier = verifier;
  }

  /** Verifies the chain now, remembers the verdict, and logs a broken chain. */
  public ChainReport verify() {
    ChainReport report = verifier.verify(database, sealer.head());
    if (report.problem() != ChainReport.Problem.UNREADABLE) {
      ChainReport before = last.getAndSet(report);
      if (report.status() != ChainReport.Status.OK
          && (before == null || !report.summary().equals(before.summary()))) {
        log.error("audit chain {}", report.summary());
      }
    }
    return report;
  }

  /** One step of the periodic check; always 0, so the loop waits for its interval. */
  public int verifyPeriodically() {
    verify();
    return 0;
  }

  /** True unless the last verdict or the sealer found the chain broken or under another key. */
  public boolean ok() {
    ChainReport report = last.get();
    return sealer.sealing() && (report == null || report.status() == ChainReport.Status.OK);
  }
}
