package dev.remediator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.remediator.action.ActionRegistry;
import dev.remediator.action.command.CommandAction;
import dev.remediator.action.notify.NotifyAction;
import dev.remediator.api.ApiServer;
import dev.remediator.api.HealthHandler;
import dev.remediator.api.OperatorAccess;
import dev.remediator.api.ReloadHandler;
import dev.remediator.audit.AuditLog;
import dev.remediator.engine.BackgroundLoop;
import dev.remediator.engine.Decider;
import dev.remediator.engine.GuardChain;
import dev.remediator.engine.RulesReloader;
import dev.remediator.engine.Wakeup;
import dev.remediator.engine.Worker;
import dev.remediator.engine.guard.AllowlistGuard;
import dev.remediator.engine.guard.ApprovalGuard;
import dev.remediator.engine.guard.CooldownGuard;
import dev.remediator.engine.guard.DryRunGuard;
import dev.remediator.engine.guard.RateLimitGuard;
import dev.remediator.intake.IntakeWriter;
import dev.remediator.intake.PayloadParser;
import dev.remediator.intake.WebhookAuth;
import dev.remediator.intake.WebhookHandler;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.rules.ParamRenderer;
import dev.remediator.rules.RulesHolder;
import dev.remediator.rules.RulesLoader;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.Database;
import dev.remediator.store.Dialect;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the only place that builds infrastructure (pool, HTTP client, registry,
 * threads) and wires the pipeline: webhook, group-commit intake, decider, worker.
 */
public final class RemediatorApp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RemediatorApp.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final int DECIDE_BATCH = 200;

  private final Database database;
  private final RulesHolder rules;
  private final RulesReloader reloader;
  private final IntakeWriter intake;
  private final BackgroundLoop deciderLoop;
  private final BackgroundLoop workerLoop;
  private final Worker worker;
  private final ScheduledExecutorService sampler;
  private final ApiServer server;
  private final OkHttpClient http;
  private volatile boolean stopping;

  private RemediatorApp(ServeConfig config, Map<String, String> env) {
    String url = config.databaseUrl().orElse(Database.DEFAULT_H2_URL);
    this.database = Database.open(url, 10);
    try {
      database.migrate();
      ObjectMapper json = JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();
      this.http = new OkHttpClient.Builder()
          .connectTimeout(Duration.ofSeconds(5))
          .readTimeout(Duration.ofSeconds(10))
          .callTimeout(Duration.ofSeconds(15))
          .build();
      ActionRegistry actions = new ActionRegistry(List.of(new CommandAction(env), new NotifyAction(http, json)));
      this.rules = new RulesHolder(new RulesLoader(actions.specs(), env), config.rules());
      RulesHolder.Reload loaded = rules.reload();
      if (!loaded.loaded()) {
        throw new StartupException("rules file " + config.rules() + " is not valid:\n  "
            + String.join("\n  ", loaded.problems()));
      }

      PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      RemediatorMetrics metrics = new RemediatorMetrics(prometheus);
      AuditLog audit = new AuditLog();
      RemediationStore remediations = new RemediationStore();
      AlertInbox inbox = new AlertInbox();
      this.reloader = new RulesReloader(rules, database, audit, config.clock());

      Wakeup deciderWakeup = new Wakeup();
      Wakeup workerWakeup = new Wakeup();
      this.intake = new IntakeWriter(database, new NotificationStore(audit), deciderWakeup::signal, 512, 20_000);
      GuardChain guards = new GuardChain(List.of(
          new DryRunGuard(config.dryRun()),
          new CooldownGuard(remediations),
          new RateLimitGuard(remediations),
          new AllowlistGuard(),
          new ApprovalGuard()));
      Decider decider = new Decider(inbox, remediations, audit, guards, rules::current, actions.specs(),
          new ParamRenderer(), config.clock(), metrics);
      this.deciderLoop = new BackgroundLoop("remediator-decider", () -> {
        int decided = decider.decideBatch(database, DECIDE_BATCH);
        if (decided > 0) {
          workerWakeup.signal();
        }
        return decided;
      }, deciderWakeup, POLL);
      this.worker = new Worker(database, remediations, actions, rules::current, audit, config.clock(), metrics,
          workerId(), config.workers(), workerWakeup::signal);
      this.workerLoop = new BackgroundLoop("remediator-claimer", worker::claimAndStart, workerWakeup, POLL);

      this.sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "remediator-sampler");
        thread.setDaemon(true);
        return thread;
      });
      metrics.gauge("remediator_rules_loaded", "Rules in force", () -> rules.current().rules().size());
      metrics.gauge("remediator_dry_run", "1 when REMEDIATOR_DRY_RUN is set", () -> config.dryRun() ? 1 : 0);

      WebhookAuth webhookAuth = new WebhookAuth(config.webhookToken());
      WebhookHandler webhook = new WebhookHandler(webhookAuth, new PayloadParser(), intake, config.clock(), metrics);
      this.server = new ApiServer(json, webhook, new HealthHandler(database, rules, () -> stopping),
          new ReloadHandler(new OperatorAccess(new WebhookAuth(config.operatorToken())), reloader), prometheus);

      int interrupted = recover();
      if (interrupted > 0) {
        log.warn("{} remediations were left running by an earlier process and are now interrupted", interrupted);
      }
      intake.start();
      deciderLoop.start();
      workerLoop.start();
      sampler.scheduleWithFixedDelay(() -> sample(metrics, inbox, remediations), 0, 5, TimeUnit.SECONDS);
      server.start(config.host(), config.port());
      if (webhookAuth.isOpen()) {
        log.warn("REMEDIATOR_WEBHOOK_TOKEN is not set: POST /webhook accepts requests without credentials");
      }
      log.atInfo().addKeyValue("listen", config.host() + ":" + server.port())
          .addKeyValue("store", database.description()).addKeyValue("rules", rules.current().rules().size())
          .addKeyValue("dryRun", config.dryRun() || rules.current().dryRun())
          .log("remediator listening on {}:{}, store {}, {} rules loaded from {}", config.host(), server.port(),
              database.description(), rules.current().rules().size(), config.rules());
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** Builds and starts everything; throws {@link StartupException} with a readable reason. */
  public static RemediatorApp start(ServeConfig config, Map<String, String> env) {
    return new RemediatorApp(config, env);
  }

  public int port() {
    return server.port();
  }

  public Database database() {
    return database;
  }

  public RulesReloader reloader() {
    return reloader;
  }

  /**
   * Work left running by a dead process becomes interrupted. The embedded store has one process
   * only, so everything still running there is from a dead one; PostgreSQL waits for the lease.
   */
  private int recover() {
    return database.dialect() == Dialect.H2 ? worker.recoverAllRunning() : worker.recoverExpired();
  }

  private void sample(RemediatorMetrics metrics, AlertInbox inbox, RemediationStore remediations) {
    try {
      metrics.queueDepth("intake", intake.queued());
      database.inTransaction(connection -> {
        metrics.queueDepth("undecided_alerts", inbox.countUndecided(connection));
        Map<RemediationState, Long> byState = remediations.countByState(connection);
        for (RemediationState state : List.of(RemediationState.PENDING, RemediationState.RUNNING,
            RemediationState.AWAITING_APPROVAL)) {
          metrics.queueDepth(state.wireName(), byState.getOrDefault(state, 0L));
        }
        return null;
      });
    } catch (RuntimeException e) {
      log.debug("queue depth not sampled: {}", e.getMessage());
    }
  }

  private static String workerId() {
    String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
    return host + "/" + ProcessHandle.current().pid();
  }

  /**
   * Graceful stop: refuse new webhooks, store what was accepted, finish deciding, let running
   * actions finish (or record them as interrupted), then close the store.
   */
  @Override
  public void close() {
    if (stopping) {
      return;
    }
    stopping = true;
    log.info("remediator stopping");
    server.close();
    intake.close();
    deciderLoop.close();
    workerLoop.close();
    worker.shutdown(Duration.ofSeconds(30));
    sampler.shutdownNow();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    database.close();
    log.info("remediator stopped");
  }
}
