package dev.remediator.cli;

import dev.remediator.audit.AuditVerifier;
import dev.remediator.audit.ChainHead;
import dev.remediator.audit.ChainKey;
import dev.remediator.audit.ChainReport;
import dev.remediator.config.Secrets;
import dev.remediator.store.Database;
import dev.remediator.store.Dialect;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code audit}: commands on the audit trail in the configured store. Without a subcommand it lists them and exits 2. */
@Command(name = "audit", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
    description = "Work with the audit trail in the store.")
public final class AuditCommand implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine commandLine = spec.commandLine();
    commandLine.getErr().println("remediator audit: a command is required");
    commandLine.usage(commandLine.getErr());
    commandLine.getErr().flush();
    return Main.USAGE;
  }

  /**
   * {@code audit verify}: walks the hash chain in the store and prints {@code ok} with the count and
   * head, or the first broken link and why. Exit 0 ok, 1 broken, 2 cannot check (store unreachable,
   * no chain, or another key than the chain's).
   */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check the audit hash chain: exit 0 ok, 1 broken, 2 cannot check.",
      footerHeading = "%nEnvironment:%n",
      footer = {
          "  REMEDIATOR_DATABASE_URL or REMEDIATOR_DATABASE_URL_FILE   store (default: embedded SQLite file data/remediator.db)",
          "  REMEDIATOR_AUDIT_KEY or REMEDIATOR_AUDIT_KEY_FILE         HMAC key the chain was sealed with",
          "The embedded store is locked by a running server: ask it with GET /api/v1/audit/verify instead."})
  public static final class Verify implements Callable<Integer> {
    private final Map<String, String> env;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--database-url",
        description = "jdbc:postgresql://... or jdbc:sqlite:FILE (REMEDIATOR_DATABASE_URL or REMEDIATOR_DATABASE_URL_FILE)")
    String databaseUrl;

    @Option(names = "--audit-key-file",
        description = "file holding the HMAC key (REMEDIATOR_AUDIT_KEY or REMEDIATOR_AUDIT_KEY_FILE; default: none)")
    Path auditKeyFile;

    @Option(names = "--expected-head", paramLabel = "SEQ[:HASH]",
        description = "a head logged or exported earlier (remediator_audit_head_seq): links cut off after it are "
            + "reported as truncated")
    String expectedHead;

    public Verify(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      ChainReport report;
      try {
        report = verify();
      } catch (IllegalArgumentException e) {
        report = ChainReport.cannotCheck(ChainReport.Problem.UNREADABLE, e.getMessage());
      }
      out.println(report.summary());
      out.flush();
      return report.status().exitCode();
    }

    private ChainReport verify() {
      Optional<ChainHead> expected = Optional.ofNullable(expectedHead).map(Verify::head);
      Optional<String> key = Secrets.read(env, "REMEDIATOR_AUDIT_KEY", auditKeyFile);
      String url = DatabaseUrl.orDefault(databaseUrl, env);
      if (Dialect.of(url) == Dialect.SQLITE) {
        Path file = Path.of(url.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*", ""));
        if (!Files.isRegularFile(file)) {
          throw new IllegalArgumentException("there is no store at " + file);
        }
      }
      try (Database database = Database.open(url, 2)) {
        return new AuditVerifier(ChainKey.of(key)).verify(database, expected);
      }
    }

    private static ChainHead head(String text) {
      String[] parts = text.split(":", 2);
      try {
        long seq = Long.parseLong(parts[0]);
        if (seq < 0 || (parts.length == 2 && !parts[1].matches("[0-9a-f]{64}"))) {
          throw new NumberFormatException();
        }
        return new ChainHead(seq, parts.length == 2 ? parts[1] : null);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--expected-head must be SEQ or SEQ:HASH (64 hex digits), but was \""
            + text + "\"", e);
      }
    }
  }
}
