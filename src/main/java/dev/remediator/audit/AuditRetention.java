package dev.remediator.audit;

import dev.remediator.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the oldest segment of the audit chain once all its events are older than the audit
 * retention: first an anchor records the last deleted link (seq and hash), then its events and
 * links go, in one transaction under the chain's lock. What remains verifies from the anchor.
 * Only sealed events go, in seq order, never the head, and never a segment that does not verify:
 * retention must not erase the evidence of tampering.
 */
public final class AuditRetention {
  public static final int BATCH = 1_000;
  private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

  private final Database database;
  private final SealStore store = new SealStore();
  private final ChainKey key;
  private final Clock clock;
  private final Duration keep;

  public AuditRetention(Database database, ChainKey key, Clock clock, Duration keep) {
    this.database = database;
    this.key = key;
    this.clock = clock;
    this.keep = keep;
  }

  /** Deletes one segment of at most {@link #BATCH} events; returns how many events it deleted. */
  public int deleteSegment() {
    Instant cutoff = clock.instant().minus(keep);
    return database.inTransaction(connection -> {
      // Under another key the links cannot be checked; the sealer reports the mismatch.
      if (!store.lock(connection) || store.chain(connection).filter(c -> KeyMatch.of(c, key).matches()).isEmpty()) {
        return 0;
      }
      ChainHead start = store.anchor(connection).orElse(ChainHead.START);
      long headSeq = store.head(connection).map(ChainHead::seq).orElse(0L);
      List<SealStore.Link> links = store.links(connection, start.seq(), BATCH);
      ChainHead last = start;
      for (SealStore.Link link : links) {
        if (link.seq() >= headSeq || link.event().isEmpty() || link.event().get().event().isEmpty()
            || !link.event().get().event().get().at().isBefore(cutoff)) {
          break;
        }
        if (link.seq() != last.seq() + 1 || !link.prevHash().equals(last.hash())
            || !key.link(last.hash(), link.event().get().canonical()).equals(link.hash())) {
          log.error("audit retention deletes nothing: the chain does not verify at seq {}; run remediator audit verify",
              link.seq());
          return 0;
        }
        last = new ChainHead(link.seq(), link.hash());
      }
      if (last.seq() == start.seq()) {
        return 0;
      }
      long events = last.seq() - start.seq();
      store.anchor(connection, last, events, clock.instant());
      int deleted = store.deleteSegment(connection, start.seq(), last.seq());
      log.atInfo().addKeyValue("anchorSeq", last.seq()).addKeyValue("anchorHash", last.hash())
          .log("deleted {} audit events older than {}; the audit chain now starts after seq {} hash {}", deleted, keep,
              last.seq(), last.hash());
      return deleted;
    });
  }
}
