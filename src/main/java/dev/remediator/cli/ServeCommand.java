package dev.remediator.cli;

import dev.remediator.app.RemediatorApp;
import dev.remediator.app.ServeConfig;
import dev.remediator.app.StartupException;
import dev.remediator.config.EnvironmentCheck;
import dev.remediator.config.Secrets;
import dev.remediator.rules.PromDuration;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code serve}: runs the webhook receiver until SIGTERM/SIGINT; SIGHUP reloads the rules. Each
 * flag {@code --x-y} defaults to the variable {@code REMEDIATOR_X_Y}; the secrets (database URL,
 * tokens) may instead come from the file named by {@code REMEDIATOR_..._FILE}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the Alertmanager webhook receiver, decider and worker.",
    footerHeading = "%nEnvironment:%n",
    footer = {
        "  REMEDIATOR_LISTEN, REMEDIATOR_RULES, REMEDIATOR_DRY_RUN, REMEDIATOR_WORKERS,",
        "  REMEDIATOR_SHUTDOWN_GRACE, REMEDIATOR_RETENTION,",
        "  REMEDIATOR_AUDIT_RETENTION   defaults for the flags of the same name",
        "  REMEDIATOR_DATABASE_URL or REMEDIATOR_DATABASE_URL_FILE       store (default: embedded SQLite file data/remediator.db)",
        "  REMEDIATOR_WEBHOOK_TOKEN or REMEDIATOR_WEBHOOK_TOKEN_FILE     credential Alertmanager sends",
        "  REMEDIATOR_VIEWER_TOKEN or REMEDIATOR_VIEWER_TOKEN_FILE       credential that may read the audit trail",
        "  REMEDIATOR_OPERATOR_TOKEN or REMEDIATOR_OPERATOR_TOKEN_FILE   credential that may also reload, approve, reject",
        "  REMEDIATOR_GRAFANA_HMAC_SECRET or REMEDIATOR_GRAFANA_HMAC_SECRET_FILE   Grafana signs its payloads with it",
        "  REMEDIATOR_ALERTMANAGER_URL   default for --alertmanager-url (re-checks, truncated groups, silences)",
        "  REMEDIATOR_PROMETHEUS_URL     default for --prometheus-url (PromQL guards and verifications)",
        "  REMEDIATOR_EXTERNAL_URL   where people reach this server, e.g. https://remediator.example.com;",
        "                            escalations link to <url>/#/remediations/<id> (without it: the path only)",
        "  REMEDIATOR_AUDIT_KEY or REMEDIATOR_AUDIT_KEY_FILE             HMAC key of the audit hash chain (unset: plain SHA-256)",
        "A flag wins over its variable; an unknown REMEDIATOR_* variable is reported at start."})
public final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  /** The secrets: each is read from {@code X} or from the file named by {@code X_FILE}. */
  static final List<String> SECRETS = List.of(
      "REMEDIATOR_DATABASE_URL", "REMEDIATOR_WEBHOOK_TOKEN", "REMEDIATOR_VIEWER_TOKEN", "REMEDIATOR_OPERATOR_TOKEN",
      "REMEDIATOR_GRAFANA_HMAC_SECRET", "REMEDIATOR_AUDIT_KEY");
  /** Every variable serve reads; anything else starting with REMEDIATOR_ is reported. */
  static final Set<String> KNOWN_VARIABLES = Set.of(
      "REMEDIATOR_LISTEN", "REMEDIATOR_RULES", "REMEDIATOR_DRY_RUN", "REMEDIATOR_WORKERS",
      "REMEDIATOR_SHUTDOWN_GRACE", "REMEDIATOR_RETENTION", "REMEDIATOR_ALERTMANAGER_URL", "REMEDIATOR_PROMETHEUS_URL",
      "REMEDIATOR_DATABASE_URL", "REMEDIATOR_DATABASE_URL_FILE",
      "REMEDIATOR_WEBHOOK_TOKEN", "REMEDIATOR_WEBHOOK_TOKEN_FILE",
      "REMEDIATOR_VIEWER_TOKEN", "REMEDIATOR_VIEWER_TOKEN_FILE",
      "REMEDIATOR_OPERATOR_TOKEN", "REMEDIATOR_OPERATOR_TOKEN_FILE",
      "REMEDIATOR_GRAFANA_HMAC_SECRET", "REMEDIATOR_GRAFANA_HMAC_SECRET_FILE", "REMEDIATOR_EXTERNAL_URL",
      "REMEDIATOR_AUDIT_KEY", "REMEDIATOR_AUDIT_KEY_FILE", "REMEDIATOR_AUDIT_RETENTION");

  private final Map<String, String> env;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--listen", defaultValue = "0.0.0.0:9095",
      description = "host:port to listen on (REMEDIATOR_LISTEN; default 0.0.0.0:9095)")
  String listen;

  @Option(names = "--rules", defaultValue = "rules/remediation.yml",
      description = "rules file (REMEDIATOR_RULES; default rules/remediation.yml)")
  Path rules;

  @Option(names = "--database-url",
      description = "jdbc:postgresql://... (REMEDIATOR_DATABASE_URL or REMEDIATOR_DATABASE_URL_FILE; "
          + "default: embedded SQLite file data/remediator.db)")
  String databaseUrl;

  @Option(names = "--webhook-token-file",
      description = "file holding the webhook token (REMEDIATOR_WEBHOOK_TOKEN or REMEDIATOR_WEBHOOK_TOKEN_FILE)")
  Path webhookTokenFile;

  @Option(names = "--viewer-token-file",
      description = "file holding the viewer token (REMEDIATOR_VIEWER_TOKEN or REMEDIATOR_VIEWER_TOKEN_FILE)")
  Path viewerTokenFile;

  @Option(names = "--operator-token-file",
      description = "file holding the operator token (REMEDIATOR_OPERATOR_TOKEN or REMEDIATOR_OPERATOR_TOKEN_FILE)")
  Path operatorTokenFile;

  @Option(names = "--dry-run", defaultValue = "false", fallbackValue = "true", arity = "0..1",
      description = "decide and audit everything, execute nothing (REMEDIATOR_DRY_RUN; default false)")
  boolean dryRun;

  @Option(names = "--workers", defaultValue = "8",
      description = "actions run at once by this replica (REMEDIATOR_WORKERS; default 8)")
  int workers;

  @Option(names = "--shutdown-grace", defaultValue = "25s",
      description = "how long a stop waits for running actions, e.g. 25s (REMEDIATOR_SHUTDOWN_GRACE; default 25s)")
  String shutdownGrace;

  @Option(names = "--retention", defaultValue = "30d",
      description = "how long notifications and alerts are kept, e.g. 30d (REMEDIATOR_RETENTION; default 30d)")
  String retention;

  @Option(names = "--alertmanager-url",
      description = "Alertmanager's URL, e.g. http://alertmanager:9093: asked whether an alert still fires before "
          + "acting, for the alerts a truncated notification left out, and for silences (REMEDIATOR_ALERTMANAGER_URL; "
          + "default: none)")
  String alertmanagerUrl;

  @Option(names = "--prometheus-url",
      description = "Prometheus API that PromQL guards and verifications ask, e.g. http://prometheus:9090"
          + " (REMEDIATOR_PROMETHEUS_URL; default none: rules with a promql guard do not act)")
  String prometheusUrl;

  @Option(names = "--external-url",
      description = "where people reach this server; escalations link to <url>/#/remediations/<id> "
          + "(REMEDIATOR_EXTERNAL_URL; default none: links are paths)")
  String externalUrl;

  @Option(names = "--audit-retention", defaultValue = "90d",
      description = "how long audit events are kept; older whole segments of the chain are deleted and an anchor "
          + "recorded, e.g. 90d (REMEDIATOR_AUDIT_RETENTION; default 90d)")
  String auditRetention;

  @Option(names = "--audit-key-file",
      description = "file holding the HMAC key of the audit hash chain (REMEDIATOR_AUDIT_KEY or REMEDIATOR_AUDIT_KEY_FILE;"
          + " default: none, plain SHA-256)")
  Path auditKeyFile;

  public ServeCommand(Map<String, String> env) {
    this.env = env;
  }

  /**
   * Defaults each flag {@code --x-y} from {@code REMEDIATOR_X_Y} in {@code env} (the secrets are
   * resolved in {@link #config()}, so that their {@code _FILE} forms are honoured too).
   */
  static CommandLine.IDefaultValueProvider environmentDefaults(Map<String, String> env) {
    return (ArgSpec argument) -> {
      if (!(argument instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
        return null;
      }
      String variable = "REMEDIATOR_" + option.longestName().substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
      if (!KNOWN_VARIABLES.contains(variable) || SECRETS.contains(variable)) {
        return null;
      }
      String value = env.get(variable);
      return value == null || value.isEmpty() ? null : value;
    };
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    ServeConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      err.println("remediator: " + e.getMessage());
      err.flush();
      return 2;
    }
    EnvironmentCheck.unknownVariables(env, KNOWN_VARIABLES).forEach(log::warn);
    RemediatorApp app;
    try {
      app = RemediatorApp.start(config, env);
    } catch (StartupException e) {
      err.println("remediator: " + e.getMessage());
      err.flush();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      stopped.countDown();
    }, "remediator-shutdown"));
    Signal.handle(new Signal("HUP"), signal -> app.reloader().reload("signal:SIGHUP"));
    stopped.await();
    return 0;
  }

  /** The flags and environment resolved into a config; throws IllegalArgumentException naming what is wrong. */
  ServeConfig config() {
    String[] hostPort = ServeConfig.splitListen(listen);
    Optional<String> database = DatabaseUrl.configured(databaseUrl, env);
    return new ServeConfig(hostPort[0], Integer.parseInt(hostPort[1]), rules, database,
        secret("REMEDIATOR_WEBHOOK_TOKEN", webhookTokenFile), secret("REMEDIATOR_OPERATOR_TOKEN", operatorTokenFile),
        dryRun, workers, Clock.systemUTC(), duration("--shutdown-grace", shutdownGrace),
        duration("--retention", retention), Secrets.read(env, "REMEDIATOR_GRAFANA_HMAC_SECRET"),
        ServeConfig.alertmanagerUrl(alertmanagerUrl), Optional.ofNullable(externalUrl),
        secret("REMEDIATOR_AUDIT_KEY", auditKeyFile), duration("--audit-retention", auditRetention),
        Optional.ofNullable(prometheusUrl), secret("REMEDIATOR_VIEWER_TOKEN", viewerTokenFile));
  }

  private static Duration duration(String flag, String value) {
    try {
      return PromDuration.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + " (REMEDIATOR_" + flag.substring(2).toUpperCase(Locale.ROOT)
          .replace('-', '_') + "): " + e.getMessage(), e);
    }
  }

  private Optional<String> secret(String name, Path flagFile) {
    return Secrets.read(env, name, flagFile);
  }
}
