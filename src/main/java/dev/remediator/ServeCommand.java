package dev.remediator;

import dev.remediator.config.Secrets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code serve}: runs the webhook receiver until SIGTERM/SIGINT; SIGHUP reloads the rules. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the Alertmanager webhook receiver, decider and worker.")
public final class ServeCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Option(names = "--listen", defaultValue = "${env:REMEDIATOR_LISTEN:-0.0.0.0:9095}",
      description = "host:port to listen on (REMEDIATOR_LISTEN; default ${DEFAULT-VALUE})")
  String listen;

  @Option(names = "--rules", defaultValue = "${env:REMEDIATOR_RULES:-rules/remediation.yml}",
      description = "rules file (REMEDIATOR_RULES; default ${DEFAULT-VALUE})")
  Path rules;

  @Option(names = "--database-url", defaultValue = "${env:REMEDIATOR_DATABASE_URL}",
      description = "jdbc:postgresql://... (REMEDIATOR_DATABASE_URL; default: embedded H2 under ./data)")
  String databaseUrl;

  @Option(names = "--webhook-token-file", description = "file holding the webhook token (REMEDIATOR_WEBHOOK_TOKEN_FILE)")
  Path webhookTokenFile;

  @Option(names = "--operator-token-file", description = "file holding the operator token (REMEDIATOR_OPERATOR_TOKEN_FILE)")
  Path operatorTokenFile;

  @Option(names = "--dry-run", defaultValue = "${env:REMEDIATOR_DRY_RUN:-false}", fallbackValue = "true", arity = "0..1",
      description = "decide and audit everything, execute nothing (REMEDIATOR_DRY_RUN)")
  boolean dryRun;

  @Option(names = "--workers", defaultValue = "${env:REMEDIATOR_WORKERS:-8}",
      description = "actions run at once by this replica (REMEDIATOR_WORKERS; default ${DEFAULT-VALUE})")
  int workers;

  public ServeCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws InterruptedException {
    ServeConfig config;
    try {
      String[] hostPort = ServeConfig.splitListen(listen);
      config = new ServeConfig(hostPort[0], Integer.parseInt(hostPort[1]), rules, Optional.ofNullable(databaseUrl),
          secret("REMEDIATOR_WEBHOOK_TOKEN", webhookTokenFile), secret("REMEDIATOR_OPERATOR_TOKEN", operatorTokenFile),
          dryRun, workers, Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      System.err.println("remediator: " + e.getMessage());
      return 2;
    }
    RemediatorApp app;
    try {
      app = RemediatorApp.start(config, env);
    } catch (StartupException | dev.remediator.store.StoreUnavailableException e) {
      System.err.println("remediator: cannot start: " + e.getMessage());
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

  private Optional<String> secret(String name, Path flagFile) {
    if (flagFile != null) {
      return Secrets.read(Map.of(name + "_FILE", flagFile.toString()), name);
    }
    return Secrets.read(env, name);
  }
}
