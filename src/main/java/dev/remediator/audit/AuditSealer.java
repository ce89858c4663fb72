package dev.remediator.audit;

import dev.remediator.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links committed audit events into the hash chain, a batch per call, under the chain's lock row
 * so that one replica seals at a time. The chain order is the seal order: an event that commits
 * late is sealed when it becomes visible, after events with higher ids.
 *
 * <p>It remembers the newest head it has seen and never follows the store backwards: a head that
 * moves back means links were cut off the end, so it stops sealing (which would otherwise reuse
 * their seqs) and says so. The head is logged when it advances, at most once per
 * {@link #HEAD_LOG_EVERY}, and exported as a gauge, so a cut is noticed from outside too.
 */
public final class AuditSealer {
  public static final int BATCH = 1_000;
  public static final Duration HEAD_LOG_EVERY = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(AuditSealer.class);

  private final Database database;
  private final SealStore store = new SealStore();
  private final ChainKey key;
  private final Clock clock;
  private final AtomicReference<ChainHead> head = new AtomicReference<>();
  private ChainHead logged;
  private Instant loggedAt = Instant.MIN;
  private Instant complainedAt = Instant.MIN;
  private volatile boolean sealing = true;
  private int complaints;

  public AuditSealer(Database database, ChainKey key, Clock clock) {
    this.database = database;
    this.key = key;
    this.clock = clock;
  }

  /** Says once, at start, when the chain is hashed without a key. */
  public void warnIfUnkeyed() {
    if (key.mode() == ChainKey.Mode.SHA256) {
      log.warn("REMEDIATOR_AUDIT_KEY is not set: the audit chain is hashed with plain SHA-256, which shows "
          + "edits, deletions and reordering but not who made them: anyone who can write the store can rehash it");
    }
  }

  /** Seals up to {@link #BATCH} events; returns how many (0 when there were none or another replica seals). */
  public int sealBatch() {
    int complaintsBefore = complaints;
    Sealed sealed = database.inTransaction(connection -> {
      ChainHead current = store.tip(connection);
      if (!follow(current) || !store.lock(connection)) {
        return Sealed.NONE;
      }
      Optional<SealStore.Chain> chain = store.chain(connection);
      if (chain.isEmpty()) {
        store.createChain(connection, key, clock.instant());
      } else {
        KeyMatch match = KeyMatch.of(chain.get(), key);
        if (!match.matches()) {
          complain(match.reason() + "; sealing is stopped");
          return Sealed.NONE;
        }
      }
      SealStore.Unsealed unsealed = store.unsealed(connection, BATCH);
      List<SealStore.Link> links = new ArrayList<>();
      ChainHead previous = current;
      for (SealStore.StoredEvent event : unsealed.events()) {
        if (event.event().isEmpty()) {
          complain(event.problem() + "; sealing stops before it");
          break;
        }
        String hash = key.link(previous.hash(), event.canonical());
        links.add(new SealStore.Link(previous.seq() + 1, event.id(), previous.hash(), hash, Optional.of(event)));
        previous = new ChainHead(previous.seq() + 1, hash);
      }
      if (links.isEmpty()) {
        return Sealed.NONE;
      }
      store.insert(connection, links, unsealed.scanFrom(links.get(links.size() - 1).eventId(), links.size()));
      return new Sealed(links.size(), previous);
    });
    if (sealed.head() != null) {
      head.set(sealed.head());
    }
    sealing = complaints == complaintsBefore;
    logHead();
    return sealed.count();
  }

  /** What one batch sealed, and the head after it (null when it sealed nothing). */
  private record Sealed(int count, ChainHead head) {
    static final Sealed NONE = new Sealed(0, null);
  }

  /** Takes {@code current} as the head unless it is behind the one already seen. */
  private boolean follow(ChainHead current) {
    ChainHead known = head.get();
    if (known != null && current.seq() < known.seq()) {
      complain("the audit chain's head went back from seq " + known.seq() + " to " + current.seq()
          + ": links were cut off the end; sealing is stopped (run remediator audit verify)");
      return false;
    }
    head.set(current);
    return true;
  }

  private void complain(String problem) {
    complaints++;
    Instant now = clock.instant();
    if (!now.isBefore(complainedAt.plus(HEAD_LOG_EVERY))) {
      log.error(problem);
      complainedAt = now;
    }
  }

  private void logHead() {
    ChainHead current = head.get();
    Instant now = clock.instant();
    if (current == null || current.equals(logged) || now.isBefore(loggedAt.plus(HEAD_LOG_EVERY))) {
      return;
    }
    log.atInfo().addKeyValue("seq", current.seq()).addKeyValue("hash", current.hash())
        .log("audit chain head seq {} hash {}", current.seq(), current.hash());
    logged = current;
    loggedAt = now;
  }

  /** False when the last round stopped at a problem: a head that went back, another key, an unreadable event. */
  public boolean sealing() {
    return sealing;
  }

  /** The newest head this process has seen or sealed, if any. */
  public Optional<ChainHead> head() {
    return Optional.ofNullable(head.get());
  }
}
