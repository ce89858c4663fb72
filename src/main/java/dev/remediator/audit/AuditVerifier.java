package dev.remediator.audit;

import dev.remediator.audit.ChainReport.Problem;
import dev.remediator.store.Database;
import dev.remediator.store.StoreException;
import dev.remediator.store.StoreUnavailableException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * Walks the audit chain in seq order from its start (the genesis, or the anchor retention left)
 * and recomputes every link, in one consistent read. It stops at the first bad link and says what
 * happened there: an event edited, deleted or moved to another seq, a link inserted, links missing,
 * or (against a head exported earlier) links cut off the end. A key other than the chain's is
 * reported as such before any link is read.
 *
 * <p>On PostgreSQL the walk is one repeatable-read transaction, which blocks no writer. The
 * embedded store has one connection for the whole process, so there each page is read in its own
 * short transaction and webhooks are not kept waiting; should retention move the chain's start
 * past the walk between two pages, the walk goes on from the new anchor.
 */
public final class AuditVerifier {
  private static final int PAGE = 1_000;
  /** How far past a bad link to look for the event that belongs there, to tell reordering from editing. */
  private static final int LOOK_AHEAD = 1_000;

  private final SealStore store = new SealStore();
  private final ChainKey key;

  public AuditVerifier(ChainKey key) {
    this.key = key;
  }

  /** Verifies the chain in {@code database}; {@code exported} is a head published earlier, to detect a cut end. */
  public ChainReport verify(Database database, Optional<ChainHead> exported) {
    try {
      if (database.dialect().isEmbedded()) {
        return walk(new Reads() {
          @Override
          public <T> T read(Database.Work<T> work) {
            return database.inTransaction(work);
          }
        }, exported);
      }
      return database.inTransaction(connection -> {
        try (Statement statement = connection.createStatement()) {
          statement.execute("set transaction isolation level repeatable read, read only");
        }
        return walk(new Reads() {
          @Override
          public <T> T read(Database.Work<T> work) throws SQLException {
            return work.run(connection);
          }
        }, exported);
      });
    } catch (StoreUnavailableException | StoreException | SQLException e) {
      return ChainReport.cannotCheck(Problem.UNREADABLE, "cannot read the audit chain from "
          + database.description() + ": " + e.getMessage());
    }
  }

  /** How the walk reads: all on one connection, or each read in a transaction of its own. */
  private interface Reads {
    <T> T read(Database.Work<T> work) throws SQLException;
  }

  private ChainReport walk(Reads reads, Optional<ChainHead> exported) throws SQLException {
    ChainHead start = reads.read(store::anchor).orElse(ChainHead.START);
    long unsealed = reads.read(store::unsealedCount);
    Optional<SealStore.Chain> chain = reads.read(store::chain);
    Optional<ChainHead> storedHead = reads.read(store::head);
    if (chain.isEmpty() && storedHead.isPresent()) {
      return ChainReport.cannotCheck(Problem.KEY_MISMATCH,
          "the chain has links but no record of how it was sealed (audit_chain is empty)");
    }
    if (chain.isPresent()) {
      KeyMatch match = KeyMatch.of(chain.get(), key);
      if (!match.matches()) {
        return ChainReport.cannotCheck(Problem.KEY_MISMATCH, match.reason());
      }
    }
    ChainHead head = storedHead.orElse(start);
    ChainHead running = start;
    long verified = 0;
    List<SealStore.Link> page = links(reads, start.seq(), PAGE);
    while (!page.isEmpty()) {
      if (page.get(0).seq() != running.seq() + 1) {
        Optional<ChainHead> moved = reads.read(store::anchor);
        if (moved.isPresent() && moved.get().seq() == page.get(0).seq() - 1 && moved.get().seq() > running.seq()) {
          start = moved.get();
          running = start;
          verified = 0;
        }
      }
      for (SealStore.Link link : page) {
        long expected = running.seq() + 1;
        if (link.seq() != expected) {
          return ChainReport.broken(Problem.LINKS_MISSING, expected, (link.seq() - 1 > expected
              ? "links seq " + expected + " to " + (link.seq() - 1) + " are missing" : "link seq " + expected + " is missing")
              + " (deleted); the chain jumps from seq " + running.seq() + " to seq " + link.seq(),
              verified, start, head, unsealed);
        }
        if (link.event().isEmpty()) {
          return ChainReport.broken(Problem.DELETED, link.seq(), "event " + link.eventId() + " sealed at seq "
              + link.seq() + " is missing (deleted)", verified, start, head, unsealed);
        }
        SealStore.StoredEvent event = link.event().get();
        if (event.event().isEmpty()) {
          return ChainReport.broken(Problem.EDITED, link.seq(), event.problem() + " (edited)", verified, start, head,
              unsealed);
        }
        if (!link.prevHash().equals(running.hash()) || !key.link(running.hash(), event.canonical()).equals(link.hash())) {
          return explain(reads, running, link, verified, start, head, unsealed);
        }
        running = new ChainHead(link.seq(), link.hash());
        verified++;
        if (exported.isPresent() && exported.get().seq() == link.seq() && exported.get().hash() != null
            && !exported.get().hash().equals(link.hash())) {
          return ChainReport.broken(Problem.TRUNCATED, link.seq(), "the link at seq " + link.seq() + " has hash "
              + link.hash() + " but " + exported.get().hash() + " was exported: the end was cut off and sealed again",
              verified - 1, start, head, unsealed);
        }
      }
      page = links(reads, running.seq(), PAGE);
    }
    if (exported.isPresent() && exported.get().seq() > running.seq()) {
      return ChainReport.broken(Problem.TRUNCATED, running.seq() + 1, "the chain ends at seq " + running.seq()
          + " but its head was exported at seq " + exported.get().seq() + ": links were cut off the end",
          verified, start, head, unsealed);
    }
    return ChainReport.ok(verified, start, running, unsealed);
  }

  /** Why {@code bad}, which does not follow {@code previous}, is wrong: inserted, reordered, edited or a gap. */
  private ChainReport explain(Reads reads, ChainHead previous, SealStore.Link bad, long verified,
                              ChainHead start, ChainHead head, long unsealed) throws SQLException {
    List<SealStore.Link> after = links(reads, bad.seq(), LOOK_AHEAD);
    long eventId = bad.eventId();
    if (!after.isEmpty() && follows(after.get(0), previous)) {
      return ChainReport.broken(Problem.INSERTED, bad.seq(), "seq " + bad.seq() + " (event " + eventId
          + ") is not part of the chain: seq " + after.get(0).seq() + " follows seq " + previous.seq()
          + " directly (a link was inserted)", verified, start, head, unsealed);
    }
    if (!bad.prevHash().equals(previous.hash())) {
      return ChainReport.broken(Problem.LINKS_MISSING, bad.seq(), "seq " + bad.seq() + " does not follow seq "
          + previous.seq() + ": its prev_hash is " + bad.prevHash() + ", not " + previous.hash()
          + " (a link was removed or replaced)", verified, start, head, unsealed);
    }
    for (SealStore.Link other : after) {
      if (readable(other) && key.link(previous.hash(), other.event().get().canonical()).equals(bad.hash())) {
        return ChainReport.broken(Problem.REORDERED, bad.seq(), "the event sealed at seq " + bad.seq()
            + " now sits at seq " + other.seq() + " (event " + other.eventId() + "): events were reordered",
            verified, start, head, unsealed);
      }
    }
    return ChainReport.broken(Problem.EDITED, bad.seq(), "event " + eventId + " no longer matches its seal at seq "
        + bad.seq() + " (edited)", verified, start, head, unsealed);
  }

  private List<SealStore.Link> links(Reads reads, long afterSeq, int limit) throws SQLException {
    return reads.read(connection -> store.links(connection, afterSeq, limit));
  }

  private boolean follows(SealStore.Link link, ChainHead previous) {
    return readable(link) && link.prevHash().equals(previous.hash())
        && key.link(previous.hash(), link.event().get().canonical()).equals(link.hash());
  }

  private static boolean readable(SealStore.Link link) {
    return link.event().isPresent() && link.event().get().event().isPresent();
  }
}
