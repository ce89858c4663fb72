package dev.remediator.cli;

import dev.remediator.api.AuditParameters;
import dev.remediator.audit.AuditField;
import dev.remediator.audit.AuditFormat;
import dev.remediator.audit.AuditQuery;
import dev.remediator.audit.AuditReader;
import dev.remediator.http.ApiException;
import dev.remediator.rules.PromDuration;
import dev.remediator.store.Database;
import dev.remediator.store.StoreException;
import dev.remediator.store.StoreUnavailableException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code audit export}: writes the audit events a query matches, newest first, to standard output
 * as NDJSON or CSV, read straight from the store (REMEDIATOR_DATABASE_URL) and streamed, so an
 * export of any size runs in a small heap. The filters are those of {@code GET /api/v1/audit};
 * {@code --since} and {@code --until} also take a duration back from now ({@code 7d}).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Write audit events, newest first, to standard output as NDJSON or CSV.",
        "The filters are those of GET /api/v1/audit; every matching event is written unless --limit is given."},
    footerHeading = "%nEnvironment:%n",
    footer = {"  REMEDIATOR_DATABASE_URL or REMEDIATOR_DATABASE_URL_FILE   the store to read",
        "  (default: the embedded SQLite file data/remediator.db, which a running server holds locked)",
        "%nExit status: 0 written, 1 the store could not be read, 2 bad flags."})
public final class AuditExportCommand implements Callable<Integer> {
  private final Map<String, String> env;
  private final OutputStream out;
  private final Clock clock;

  @Spec
  CommandSpec spec;

  @Option(names = "--format", required = true, description = "ndjson or csv")
  String format;

  @Option(names = "--since", description = "events at or after this time: RFC 3339 (2026-11-22T10:00:00Z) or a"
      + " duration back from now (7d, 12h)")
  String since;

  @Option(names = "--until", description = "events before this time: RFC 3339 or a duration back from now")
  String until;

  @Option(names = "--alertname", description = "only events about this alert name")
  String alertname;

  @Option(names = "--fingerprint", description = "only events about this alert fingerprint")
  String fingerprint;

  @Option(names = "--rule", description = "only events of this rule")
  String rule;

  @Option(names = "--action", description = "only events of this action")
  String action;

  @Option(names = "--target", description = "only events about this target")
  String target;

  @Option(names = "--outcome", description = "only events with this outcome")
  String outcome;

  @Option(names = "--kind", description = "only events of this kind (received, decided, succeeded, ...)")
  String kind;

  @Option(names = "--actor", description = "only events caused by this actor")
  String actor;

  @Option(names = "--q", description = "only events whose summary fields or detail contain this text, in any case")
  String text;

  @Option(names = "--limit", description = "at most this many events, the newest (1-" + AuditParameters.MAX_LIMIT
      + "; default: all)")
  String limit;

  @Option(names = "--database-url", description = "jdbc:postgresql://... or jdbc:sqlite:FILE "
      + "(REMEDIATOR_DATABASE_URL or REMEDIATOR_DATABASE_URL_FILE; default: embedded SQLite file data/remediator.db)")
  String databaseUrl;

  public AuditExportCommand(Map<String, String> env, OutputStream out, Clock clock) {
    this.env = env;
    this.out = out;
    this.clock = clock;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    AuditFormat chosen;
    AuditQuery query;
    String url;
    try {
      chosen = format(format);
      query = AuditParameters.parse(AuditParameters.of(parameters()));
      url = DatabaseUrl.orDefault(databaseUrl, env);
    } catch (ApiException e) {
      return fail(err, "--" + e.error().field() + ": " + e.error().reason(), Main.USAGE);
    } catch (IllegalArgumentException e) {
      return fail(err, e.getMessage(), Main.USAGE);
    }
    StandardError.takeLogs();
    try (Database database = Database.open(url, 2)) {
      Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
      chosen.header(writer);
      new AuditReader().export(database, query, entry -> chosen.write(writer, entry));
      writer.flush();
      return 0;
    } catch (IllegalArgumentException e) {
      return fail(err, e.getMessage(), Main.USAGE);
    } catch (StoreUnavailableException | StoreException e) {
      return fail(err, "cannot read the audit log: " + e.getMessage(), 1);
    } catch (IOException e) {
      return fail(err, "cannot write the export: " + e.getMessage(), 1);
    }
  }

  private Map<String, String> parameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    String[] filters = {alertname, fingerprint, rule, action, target, outcome, kind, actor};
    AuditField[] fields = {AuditField.ALERTNAME, AuditField.FINGERPRINT, AuditField.RULE, AuditField.ACTION,
        AuditField.TARGET, AuditField.OUTCOME, AuditField.KIND, AuditField.ACTOR};
    for (int i = 0; i < fields.length; i++) {
      put(parameters, fields[i].parameter(), filters[i]);
    }
    put(parameters, "since", time(since));
    put(parameters, "until", time(until));
    put(parameters, "q", text);
    put(parameters, "limit", limit);
    return parameters;
  }

  private static void put(Map<String, String> parameters, String name, String value) {
    if (value != null) {
      parameters.put(name, value);
    }
  }

  /** A duration such as {@code 7d} as the RFC 3339 time that long ago; anything else as given. */
  private String time(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.now(clock).minus(PromDuration.parse(value)).toString();
    } catch (IllegalArgumentException notADuration) {
      return value;
    }
  }

  private static AuditFormat format(String name) {
    for (AuditFormat candidate : AuditFormat.values()) {
      if (candidate.flagName().equals(name.toLowerCase(Locale.ROOT))) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("--format must be ndjson or csv, but was '" + name + "'");
  }

  private static int fail(PrintWriter err, String message, int status) {
    err.println("remediator: " + message);
    err.flush();
    return status;
  }
}
