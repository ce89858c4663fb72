package dev.remediator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditLog;
import dev.remediator.audit.AuditSealer;
import dev.remediator.audit.ChainKey;
import dev.remediator.store.Database;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.Rows;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code remediator audit verify} against an embedded store file: what it prints and its exit status. */
class AuditCommandTest {
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  @TempDir
  Path dir;
  private String url;
  private String head;

  @BeforeEach
  void sealThreeEvents() {
    url = Database.sqliteUrl(dir.resolve("remediator.db"));
    try (Database database = Database.open(url, 1)) {
      database.migrate();
      database.inTransaction(c -> {
        new AuditLog().append(c, List.of(
            AuditEvent.system(NOW, AuditEvent.Kind.RULES_RELOADED, "operator", "loaded", Map.of("rules", 3)),
            AuditEvent.system(NOW, AuditEvent.Kind.RULES_REJECTED, "operator", "rejected", Map.of()),
            AuditEvent.system(NOW, AuditEvent.Kind.RULES_RELOADED, "operator", "loaded", Map.of("rules", 4))));
        return null;
      });
      new AuditSealer(database, ChainKey.of(Optional.of("cli-key")), MutableClock.at(NOW)).sealBatch();
      head = Rows.of(database, "select hash from audit_seal where seq = 3").get(0);
    }
  }

  private record Run(int status, String out) {}

  private Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    int status = Main.commandLine(env).setOut(new PrintWriter(out)).setErr(new PrintWriter(out)).execute(args);
    return new Run(status, out.toString().strip());
  }

  private void tamper(String sql) {
    try (Database database = Database.open(url, 1)) {
      database.inTransaction(c -> {
        c.createStatement().execute("drop trigger audit_event_no_update");
        return c.createStatement().executeUpdate(sql);
      });
    }
  }

  @Test
  void anIntactChainExitsZeroWithItsCountAndHead() {
    Run run = run(Map.of("REMEDIATOR_DATABASE_URL", url, "REMEDIATOR_AUDIT_KEY", "cli-key"), "audit", "verify");

    assertThat(run.status()).isZero();
    assertThat(run.out()).isEqualTo("ok: 3 links verified, head seq 3 hash " + head);
  }

  @Test
  void theKeyMayComeFromAFileAndTheStoreFromTheFlag() throws Exception {
    Path key = Files.writeString(dir.resolve("audit.key"), "cli-key\n");

    Run run = run(Map.of("REMEDIATOR_AUDIT_KEY_FILE", key.toString()), "audit", "verify", "--database-url", url);

    assertThat(run.status()).isZero();
  }

  @Test
  void anEditedEventExitsOneNamingTheLink() {
    tamper("update audit_event set outcome = 'forged' where id = 2");

    Run run = run(Map.of("REMEDIATOR_DATABASE_URL", url, "REMEDIATOR_AUDIT_KEY", "cli-key"), "audit", "verify");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).isEqualTo("broken at seq 2 (edited): event 2 no longer matches its seal at seq 2 (edited)");
  }

  @Test
  void aHeadExportedEarlierCatchesACutEnd() {
    Run run = run(Map.of("REMEDIATOR_DATABASE_URL", url, "REMEDIATOR_AUDIT_KEY", "cli-key"), "audit", "verify",
        "--expected-head", "5");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).isEqualTo("broken at seq 4 (truncated): the chain ends at seq 3 but its head was exported "
        + "at seq 5: links were cut off the end");
    assertThat(run(Map.of("REMEDIATOR_DATABASE_URL", url, "REMEDIATOR_AUDIT_KEY", "cli-key"), "audit", "verify",
        "--expected-head", "3:" + head).status()).isZero();
  }

  @Test
  void anotherKeyOrNoStoreExitsTwo() {
    Run wrongKey = run(Map.of("REMEDIATOR_DATABASE_URL", url, "REMEDIATOR_AUDIT_KEY", "other"), "audit", "verify");
    Run noStore = run(Map.of("REMEDIATOR_AUDIT_KEY", "cli-key"), "audit", "verify", "--database-url",
        Database.sqliteUrl(dir.resolve("absent.db")));
    Run badHead = run(Map.of("REMEDIATOR_DATABASE_URL", url), "audit", "verify", "--expected-head", "x");

    assertThat(wrongKey.status()).isEqualTo(2);
    assertThat(wrongKey.out()).isEqualTo("cannot check: key mismatch: the audit chain is sealed with HMAC-SHA256 under "
        + "another REMEDIATOR_AUDIT_KEY");
    assertThat(noStore.status()).isEqualTo(2);
    assertThat(noStore.out()).isEqualTo("cannot check: there is no store at " + dir.resolve("absent.db"));
    assertThat(Files.exists(dir.resolve("absent.db"))).isFalse();
    assertThat(badHead.status()).isEqualTo(2);
    assertThat(badHead.out()).contains("--expected-head must be SEQ or SEQ:HASH");
  }

  @Test
  void auditWithoutACommandListsItsCommandsAndExitsTwo() {
    Run run = run(Map.of(), "audit");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).startsWith("remediator audit: a command is required").contains("verify");
  }
}
