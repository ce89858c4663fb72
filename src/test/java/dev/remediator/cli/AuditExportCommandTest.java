package dev.remediator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.audit.AuditFixture;
import dev.remediator.audit.AuditLog;
import dev.remediator.audit.AuditQuery;
import dev.remediator.audit.AuditReader;
import dev.remediator.store.Database;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code audit export} against a real store of each kind: what it writes, which events, and its errors. */
class AuditExportCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final TestDatabase postgres = new TestDatabase();

  @TempDir
  Path dir;

  private final MutableClock clock = MutableClock.at(AuditFixture.T0.plus(Duration.ofDays(7)).plusSeconds(180));
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final StringWriter err = new StringWriter();

  private int export(Map<String, String> env, String... args) {
    CommandLine command = new CommandLine(new AuditExportCommand(env, out, clock));
    command.setErr(new PrintWriter(err));
    return command.execute(args);
  }

  private String written() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String sqliteStore() {
    String url = Database.sqliteUrl(dir.resolve("store.db"));
    try (Database database = Database.open(url, 1)) {
      database.migrate();
      database.inTransaction(c -> {
        new AuditLog().append(c, AuditFixture.events());
        return null;
      });
    }
    return url;
  }

  @Test
  void ndjsonFromTheEmbeddedStoreHoldsWhatTheReaderReads() throws Exception {
    String url = sqliteStore();
    assertThat(export(Map.of(), "--format", "ndjson", "--database-url", url)).as(err.toString()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : written().split("\n")) {
      lines.add(JSON.readTree(line));
    }
    List<JsonNode> expected = new ArrayList<>();
    try (Database database = Database.open(url, 1)) {
      new AuditReader().export(database, AuditQuery.ALL,
          entry -> expected.add(JSON.readTree(JSON.writeValueAsString(entry.fields()))));
    }
    assertThat(lines).hasSize(8).isEqualTo(expected);
  }

  @Test
  void sinceTakesADurationBackFromNowAndFiltersApply() {
    String url = sqliteStore();
    assertThat(export(Map.of(), "--format", "csv", "--since", "7d", "--database-url", url)).as(err.toString())
        .isZero();
    String[] rows = written().split("\r\n");
    assertThat(rows[0]).startsWith("id,at,kind,");
    assertThat(rows).hasSize(1 + 5);
    assertThat(rows[1]).startsWith("8,2026-11-22T10:07:00Z,guard,");
    assertThat(rows[5]).startsWith("4,2026-11-22T10:03:00Z,received,");
  }

  @Test
  void postgresIsReadFromTheConfiguredUrlWithEveryFilter() throws Exception {
    try (Database database = postgres.openStore()) {
      database.inTransaction(c -> {
        new AuditLog().append(c, AuditFixture.events());
        return null;
      });
    }
    int status = export(Map.of("REMEDIATOR_DATABASE_URL", postgres.storeUrl()), "--format", "ndjson",
        "--since", "2026-11-22T10:00:00Z", "--until", "2026-11-22T11:00:00Z", "--alertname", "HighErrorRate",
        "--fingerprint", "fp-api", "--rule", "restart-api", "--action", "restart", "--target", "cluster",
        "--outcome", "failed", "--kind", "failed", "--actor", "worker-1", "--q", "not found", "--limit", "10");
    assertThat(status).as(err.toString()).isZero();
    String[] lines = written().split("\n");
    assertThat(lines).hasSize(1);
    assertThat(JSON.readTree(lines[0]).get("detail").get("error").asText()).isEqualTo("Deployment api not FOUND");
  }

  @Test
  void badFlagsExit2NamingTheFlag() {
    String url = sqliteStore();
    assertThat(export(Map.of(), "--format", "xml", "--database-url", url)).isEqualTo(2);
    assertThat(err.toString()).contains("--format must be ndjson or csv");
    assertThat(export(Map.of(), "--format", "csv", "--since", "last tuesday", "--database-url", url)).isEqualTo(2);
    assertThat(err.toString()).contains("--since: 'last tuesday' is not an RFC 3339 time");
    assertThat(export(Map.of(), "--format", "csv", "--limit", "0", "--database-url", url)).isEqualTo(2);
    assertThat(err.toString()).contains("--limit: '0' is not an integer from 1 to 500");
    assertThat(export(Map.of(), "--format", "csv", "--kind", "nope", "--database-url", url)).isEqualTo(2);
    assertThat(err.toString()).contains("--kind: 'nope' is not a kind");
    assertThat(written()).isEmpty();
  }

  @Test
  void anUnreachableStoreExits1() {
    assertThat(export(Map.of("REMEDIATOR_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/remediator?user=x"),
        "--format", "csv")).isEqualTo(1);
    assertThat(err.toString()).startsWith("remediator: cannot read the audit log:");
  }

  @Test
  void theAuditCommandListsItsSubcommands() {
    StringWriter usage = new StringWriter();
    int status = Main.commandLine(Map.of()).setErr(new PrintWriter(usage)).execute("audit");
    assertThat(status).isEqualTo(2);
    assertThat(usage.toString()).contains("a command is required", "export");
    StringWriter help = new StringWriter();
    assertThat(Main.commandLine(Map.of()).setOut(new PrintWriter(help)).execute("audit", "export", "--help"))
        .isZero();
    assertThat(help.toString()).contains("--format", "--since", "--until", "--q", "--limit", "--database-url",
        "REMEDIATOR_DATABASE_URL_FILE");
  }

}
