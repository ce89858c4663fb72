package dev.remediator.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remediator.audit.ChainReport.Problem;
import dev.remediator.audit.ChainReport.Status;
import dev.remediator.store.Database;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.Rows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The audit chain on a real store: sealing, verifying, each kind of tampering done directly in the
 * database with the append-only triggers out of the way, keys, and retention from an anchor. How
 * triggers are bypassed and links forged is each store's own: see the subclasses.
 */
abstract class AuditChainContract {
  static final Instant OLD = Instant.parse("2026-08-01T10:00:00Z");
  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  static final ChainKey KEY = ChainKey.of(Optional.of("s3cret-audit-key"));

  final MutableClock clock = MutableClock.at(NOW);

  abstract Database database();

  /** Runs {@code statements} with the append-only triggers of the audit tables disabled or dropped. */
  abstract void tamper(String... statements);

  /** Inserts a link by hand, as someone with write access to the store would. */
  abstract void forgeLink(long seq, long eventId, String prevHash, String hash);

  List<AuditEvent> append(int count, Instant at) {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("n", i);
      detail.put("reason", "step " + i + " of " + count + ", ünïcödé \"quoted\"");
      detail.put("argv", List.of("kubectl", "rollout", "restart"));
      detail.put("nested", Map.of("ratio", 0.25, "big", 12345678901L, "flag", true));
      events.add(new AuditEvent(at.plusMillis(i).plusNanos(1234), AuditEvent.Kind.values()[i % 5], "host/" + i,
          10L + i, i % 2 == 0 ? null : 20L + i, null, "fp" + i, "HighErrorRate", "restart-api", "command",
          "deployer", "outcome-" + i, detail));
    }
    database().inTransaction(c -> {
      new AuditLog().append(c, events);
      return null;
    });
    return events;
  }

  AuditSealer sealer(ChainKey key) {
    return new AuditSealer(database(), key, clock);
  }

  int sealAll(AuditSealer sealer) {
    int total = 0;
    for (int sealed = sealer.sealBatch(); sealed > 0; sealed = sealer.sealBatch()) {
      total += sealed;
    }
    return total;
  }

  ChainReport verify() {
    return new AuditVerifier(KEY).verify(database(), Optional.empty());
  }

  long eventAt(long seq) {
    return Long.parseLong(Rows.of(database(), "select event_id from audit_seal where seq = " + seq).get(0));
  }

  String hashAt(long seq) {
    return Rows.of(database(), "select hash from audit_seal where seq = " + seq).get(0);
  }

  @Test
  void aSealedChainVerifiesWithItsCountAndHead() {
    List<AuditEvent> events = append(5, NOW);

    assertThat(sealAll(sealer(KEY))).isEqualTo(5);

    ChainReport report = verify();
    assertThat(report.status()).isEqualTo(Status.OK);
    assertThat(report.links()).isEqualTo(5);
    assertThat(report.head()).isEqualTo(new ChainHead(5, hashAt(5)));
    assertThat(report.unsealed()).isZero();
    assertThat(report.summary()).isEqualTo("ok: 5 links verified, head seq 5 hash " + hashAt(5));
    // Each link covers the canonical bytes of the event as it was written, so an event read back reproduces them.
    String expected = ChainKey.GENESIS;
    for (AuditEvent event : events) {
      expected = KEY.link(expected, event.canonical());
    }
    assertThat(hashAt(5)).isEqualTo(expected);
  }

  @Test
  void eventsWrittenLaterContinueTheChainAndTheHeadIsKept() {
    append(3, NOW);
    AuditSealer sealer = sealer(KEY);
    sealAll(sealer);
    append(2, NOW);

    assertThat(sealAll(sealer)).isEqualTo(2);
    assertThat(sealer.head()).contains(new ChainHead(5, hashAt(5)));
    assertThat(verify().links()).isEqualTo(5);
    assertThat(Rows.of(database(), "select prev_hash from audit_seal where seq = 4")).containsExactly(hashAt(3));
  }

  @Test
  void aLongChainIsSealedInBatchesAndVerifiedAcrossPages() {
    append(2 * AuditSealer.BATCH + 7, NOW);

    assertThat(sealAll(sealer(KEY))).isEqualTo(2 * AuditSealer.BATCH + 7);
    tamper("delete from audit_event where id = " + eventAt(AuditSealer.BATCH + 3));

    ChainReport report = verify();
    assertThat(report.problem()).isEqualTo(Problem.DELETED);
    assertThat(report.brokenAt()).isEqualTo(AuditSealer.BATCH + 3);
    assertThat(report.links()).isEqualTo(AuditSealer.BATCH + 2);
  }

  @Test
  void anEditedEventIsReportedAtItsSeq() {
    append(5, NOW);
    sealAll(sealer(KEY));

    tamper("update audit_event set outcome = 'succeeded' where id = " + eventAt(3));

    ChainReport report = verify();
    assertThat(report.status()).isEqualTo(Status.BROKEN);
    assertThat(report.problem()).isEqualTo(Problem.EDITED);
    assertThat(report.brokenAt()).isEqualTo(3);
    assertThat(report.links()).isEqualTo(2);
    assertThat(report.reason()).isEqualTo("event " + eventAt(3) + " no longer matches its seal at seq 3 (edited)");
  }

  @Test
  void anEventEditedIntoSomethingUnreadableIsReportedAsEdited() {
    append(3, NOW);
    sealAll(sealer(KEY));

    tamper("update audit_event set kind = 'nonsense' where id = " + eventAt(2));

    ChainReport report = verify();
    assertThat(report.problem()).isEqualTo(Problem.EDITED);
    assertThat(report.brokenAt()).isEqualTo(2);
    assertThat(report.reason()).startsWith("event " + eventAt(2) + " cannot be read");
  }

  @Test
  void aDeletedEventIsReportedAtItsSeq() {
    append(5, NOW);
    sealAll(sealer(KEY));
    long deleted = eventAt(4);

    tamper("delete from audit_event where id = " + deleted);

    ChainReport report = verify();
    assertThat(report.problem()).isEqualTo(Problem.DELETED);
    assertThat(report.brokenAt()).isEqualTo(4);
    assertThat(report.reason()).isEqualTo("event " + deleted + " sealed at seq 4 is missing (deleted)");
  }

  @Test
  void swappingTwoEventsIsReportedAsReordered() {
    append(5, NOW);
    sealAll(sealer(KEY));
    long second = eventAt(2);
    long fourth = eventAt(4);

    tamper("create temporary table swapped as select * from audit_event where id in (" + second + ", " + fourth + ")",
        "update audit_event set (occurred_at, kind, actor, notification_id, alert_id, remediation_id, fingerprint, "
        + "alertname, rule_name, action, target, outcome, detail) = (select b.occurred_at, b.kind, b.actor, "
        + "b.notification_id, b.alert_id, b.remediation_id, b.fingerprint, b.alertname, b.rule_name, b.action, "
        + "b.target, b.outcome, b.detail from swapped b where b.id = case audit_event.id when " + second
        + " then " + fourth + " else " + second + " end) where id in (" + second + ", " + fourth + ")",
        "drop table swapped");

    ChainReport report = verify();
    assertThat(report.problem()).isEqualTo(Problem.REORDERED);
    assertThat(report.brokenAt()).isEqualTo(2);
    assertThat(report.reason()).isEqualTo("the event sealed at seq 2 now sits at seq 4 (event " + fourth
        + "): events were reordered");
  }

  @Test
  void aLinkInsertedInTheMiddleIsReportedAsInserted() {
    append(5, NOW);
    sealAll(sealer(KEY));
    String before = hashAt(2);
    append(1, NOW);
    long forged = Long.parseLong(Rows.of(database(), "select max(id) from audit_event").get(0));

    tamper("update audit_seal set seq = seq + 1000000 where seq >= 3",
        "update audit_seal set seq = seq - 999999 where seq >= 1000000");
    forgeLink(3, forged, before, ChainKey.of(Optional.of("a guess")).link(before, "{}"));

    ChainReport report = verify();
    assertThat(report.problem()).isEqualTo(Problem.INSERTED);
    assertThat(report.brokenAt()).isEqualTo(3);
    assertThat(report.reason()).isEqualTo("seq 3 (event " + forged + ") is not part of the chain: seq 4 follows seq 2 "
        + "directly (a link was inserted)");
  }

  @Test
  void aLinkDeletedFromTheMiddleIsReportedAsMissing() {
    append(5, NOW);
    sealAll(sealer(KEY));

    tamper("delete from audit_seal where seq = 3");

    ChainReport report = verify();
    assertThat(report.problem()).isEqualTo(Problem.LINKS_MISSING);
    assertThat(report.brokenAt()).isEqualTo(3);
    assertThat(report.reason()).isEqualTo("link seq 3 is missing (deleted); the chain jumps from seq 2 to seq 4");
  }

  @Test
  void linksCutOffTheEndAreCaughtAgainstTheExportedHead() {
    append(5, NOW);
    AuditSealer sealer = sealer(KEY);
    sealAll(sealer);
    ChainHead exported = sealer.head().orElseThrow();

    tamper("delete from audit_event where id in (select event_id from audit_seal where seq >= 4)",
        "delete from audit_seal where seq >= 4");

    assertThat(verify().status()).as("without the exported head the rest still verifies").isEqualTo(Status.OK);
    ChainReport report = new AuditVerifier(KEY).verify(database(), Optional.of(exported));
    assertThat(report.problem()).isEqualTo(Problem.TRUNCATED);
    assertThat(report.brokenAt()).isEqualTo(4);
    assertThat(report.reason()).isEqualTo("the chain ends at seq 3 but its head was exported at seq 5: "
        + "links were cut off the end");

    append(2, NOW);
    assertThat(sealer.sealBatch()).as("a sealer that saw the head go back stops").isZero();
    assertThat(sealer.head()).contains(exported);

    assertThat(sealAll(sealer(KEY))).as("a fresh process seals on from the cut end").isEqualTo(2);
    ChainReport resealed = new AuditVerifier(KEY).verify(database(), Optional.of(exported));
    assertThat(resealed.problem()).isEqualTo(Problem.TRUNCATED);
    assertThat(resealed.brokenAt()).isEqualTo(5);
    assertThat(resealed.reason()).endsWith("was exported: the end was cut off and sealed again");
  }

  @Test
  void anotherKeyIsAKeyMismatchNotABrokenChain() {
    append(3, NOW);
    sealAll(sealer(KEY));

    ChainReport wrongKey = new AuditVerifier(ChainKey.of(Optional.of("another key"))).verify(database(), Optional.empty());
    assertThat(wrongKey.status()).isEqualTo(Status.CANNOT_CHECK);
    assertThat(wrongKey.status().exitCode()).isEqualTo(2);
    assertThat(wrongKey.problem()).isEqualTo(Problem.KEY_MISMATCH);
    assertThat(wrongKey.summary()).isEqualTo("cannot check: key mismatch: the audit chain is sealed with HMAC-SHA256 "
        + "under another REMEDIATOR_AUDIT_KEY");
    assertThat(new AuditVerifier(ChainKey.of(Optional.empty())).verify(database(), Optional.empty()).reason())
        .isEqualTo("key mismatch: the audit chain is sealed with HMAC-SHA256, but no REMEDIATOR_AUDIT_KEY is set");

    append(1, NOW);
    assertThat(sealer(ChainKey.of(Optional.of("another key"))).sealBatch()).as("no links under another key").isZero();
    assertThat(verify().status()).isEqualTo(Status.OK);
  }

  @Test
  void aChainSealedWithoutAKeyUsesPlainSha256AndSaysSo() {
    append(2, NOW);
    ChainKey none = ChainKey.of(Optional.empty());
    sealAll(sealer(none));

    assertThat(Rows.of(database(), "select mode from audit_chain")).containsExactly("sha256");
    assertThat(new AuditVerifier(none).verify(database(), Optional.empty()).status()).isEqualTo(Status.OK);
    assertThat(verify().reason()).isEqualTo("key mismatch: the audit chain is sealed with plain SHA-256 (no key), "
        + "but REMEDIATOR_AUDIT_KEY is set");
  }

  @Test
  void retentionDeletesOldSegmentsAndTheRestVerifiesFromTheAnchor() {
    append(3, OLD);
    append(2, NOW);
    sealAll(sealer(KEY));
    String anchorHash = hashAt(3);
    AuditRetention retention = new AuditRetention(database(), KEY, clock, Duration.ofDays(90));

    assertThat(retention.deleteSegment()).isEqualTo(3);
    assertThat(retention.deleteSegment()).isZero();

    assertThat(Rows.of(database(), "select seq, hash, events from audit_anchor"))
        .containsExactly("3 | " + anchorHash + " | 3");
    assertThat(Rows.of(database(), "select count(*) from audit_event")).containsExactly("2");
    ChainReport report = verify();
    assertThat(report.status()).isEqualTo(Status.OK);
    assertThat(report.links()).isEqualTo(2);
    assertThat(report.start()).isEqualTo(new ChainHead(3, anchorHash));
    assertThat(report.head().seq()).isEqualTo(5);

    append(1, NOW);
    assertThat(sealAll(sealer(KEY))).isEqualTo(1);
    assertThat(verify().links()).isEqualTo(3);
  }

  @Test
  void retentionKeepsTheHeadAndRefusesToEraseABrokenSegment() {
    append(4, OLD);
    sealAll(sealer(KEY));
    tamper("update audit_event set outcome = 'rewritten' where id = " + eventAt(2));
    AuditRetention retention = new AuditRetention(database(), KEY, clock, Duration.ofDays(90));

    assertThat(retention.deleteSegment()).isZero();
    assertThat(Rows.of(database(), "select count(*) from audit_seal")).containsExactly("4");
  }

  @Test
  void retentionNeverDeletesTheHead() {
    append(4, OLD);
    sealAll(sealer(KEY));

    assertThat(new AuditRetention(database(), KEY, clock, Duration.ofDays(90)).deleteSegment()).isEqualTo(3);
    assertThat(Rows.of(database(), "select seq from audit_seal")).containsExactly("4");
    assertThat(verify().status()).isEqualTo(Status.OK);
  }

  @Test
  void theAuditTablesRejectUpdatesAndDeletes() {
    append(2, NOW);
    sealAll(sealer(KEY));

    for (String sql : List.of("update audit_seal set hash = 'x' where seq = 1", "delete from audit_seal where seq = 2",
        "update audit_event set outcome = 'x' where id = " + eventAt(1), "delete from audit_event where id = " + eventAt(1),
        "update audit_chain set mode = 'sha256'", "delete from audit_chain")) {
      assertThatThrownBy(() -> database().inTransaction(c -> c.createStatement().executeUpdate(sql)))
          .as(sql).hasMessageContaining("is append-only");
    }
    database().inTransaction(c -> c.createStatement().executeUpdate(
        "insert into audit_anchor (seq, hash, events, anchored_at) values (0, '" + ChainKey.GENESIS + "', 0, '2026-11-22T10:00:00.000000Z')"));
    assertThatThrownBy(() -> database().inTransaction(c -> c.createStatement().executeUpdate("delete from audit_anchor")))
        .hasMessageContaining("is append-only");
    assertThat(verify().status()).isEqualTo(Status.OK);
  }

  @Test
  void anEmptyStoreVerifiesWithNoLinks() {
    ChainReport report = verify();

    assertThat(report.status()).isEqualTo(Status.OK);
    assertThat(report.links()).isZero();
    assertThat(report.head()).isEqualTo(ChainHead.START);
  }
}
