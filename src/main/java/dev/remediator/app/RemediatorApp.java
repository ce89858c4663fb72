package dev.remediator.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.remediator.action.SharedClients;
import dev.remediator.action.TargetClients;
import dev.remediator.action.catalog.ActionCatalog;
import dev.remediator.api.Access;
import dev.remediator.api.AlertHandler;
import dev.remediator.api.AuditCountsHandler;
import dev.remediator.api.ApiServer;
import dev.remediator.api.ApprovalHandler;
import dev.remediator.api.AuditHandler;
import dev.remediator.api.BreakerHandler;
import dev.remediator.api.AuditVerifyHandler;
import dev.remediator.api.HealthHandler;
import dev.remediator.api.PauseHandler;
import dev.remediator.api.RemediationsHandler;
import dev.remediator.api.ReloadHandler;
import dev.remediator.api.ReplayHandler;
import dev.remediator.api.RulesHandler;
import dev.remediator.api.SimulateHandler;
import dev.remediator.audit.OutcomeCounts;
import dev.remediator.audit.AuditLog;
import dev.remediator.audit.RemediationTimeline;
import dev.remediator.engine.ApprovalExpiry;
import dev.remediator.audit.AuditReader;
import dev.remediator.audit.AuditRetention;
import dev.remediator.audit.AuditSealer;
import dev.remediator.audit.AuditVerifier;
import dev.remediator.audit.ChainHead;
import dev.remediator.audit.ChainKey;
import dev.remediator.audit.ChainMonitor;
import dev.remediator.engine.Approvals;
import dev.remediator.engine.BackgroundLoop;
import dev.remediator.engine.BlastRadius;
import dev.remediator.engine.Decider;
import dev.remediator.engine.Escalator;
import dev.remediator.engine.GuardChain;
import dev.remediator.engine.KillSwitch;
import dev.remediator.engine.Leases;
import dev.remediator.engine.Rechecker;
import dev.remediator.engine.Replays;
import dev.remediator.engine.Retention;
import dev.remediator.engine.RulesReloader;
import dev.remediator.engine.Silences;
import dev.remediator.engine.TruncatedGroups;
import dev.remediator.engine.VerificationProbe;
import dev.remediator.engine.Verifier;
import dev.remediator.engine.Wakeup;
import dev.remediator.engine.Worker;
import dev.remediator.engine.guard.AllowlistGuard;
import dev.remediator.engine.guard.ApprovalGuard;
import dev.remediator.engine.guard.BreakerGuard;
import dev.remediator.engine.guard.CooldownGuard;
import dev.remediator.engine.guard.DryRunGuard;
import dev.remediator.engine.guard.MaxFractionGuard;
import dev.remediator.engine.guard.PausedGuard;
import dev.remediator.engine.guard.PromqlGuard;
import dev.remediator.engine.guard.RateLimitGuard;
import dev.remediator.http.Sessions;
import dev.remediator.http.TokenAuth;
import dev.remediator.intake.GrafanaSignature;
import dev.remediator.intake.IntakeWriter;
import dev.remediator.intake.PayloadParser;
import dev.remediator.intake.WebhookHandler;
import dev.remediator.metrics.RemediatorMetrics;
import dev.remediator.resilience.BreakerView;
import dev.remediator.resilience.Breakers;
import dev.remediator.rules.ParamRenderer;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RulesHolder;
import dev.remediator.rules.RulesLoader;
import dev.remediator.rules.Verification;
import dev.remediator.store.AlertHistory;
import dev.remediator.store.AlertInbox;
import dev.remediator.store.BreakerStore;
import dev.remediator.store.Database;
import dev.remediator.store.GroupFetches;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.OutboxStore;
import dev.remediator.store.PauseStore;
import dev.remediator.store.RemediationState;
import dev.remediator.store.RemediationStore;
import dev.remediator.store.RemediationViews;
import dev.remediator.store.RetentionStore;
import dev.remediator.store.SilenceStore;
import dev.remediator.upstream.AlertmanagerClient;
import dev.remediator.store.StoreUnavailableException;
import dev.remediator.store.StoredAlerts;
import dev.remediator.store.VerificationStore;
import dev.remediator.upstream.HttpProbe;
import dev.remediator.upstream.PrometheusClient;
import dev.remediator.web.AuditPage;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the only place that builds infrastructure (pool, HTTP client, registry,
 * threads) and wires the pipeline: webhook, group-commit intake, decider, worker, escalator. It builds every
 * collaborator first and starts them second; each started resource goes on one {@link Lifecycle}
 * stack, which a stop, or a failure while starting, unwinds in reverse: the server stops
 * accepting, intake stores what it accepted, the loops stop, running actions get the shutdown
 * grace, and the store closes last.
 */
public final class RemediatorApp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RemediatorApp.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration ESCALATION_POLL = Duration.ofSeconds(5);
  /** How often approvals past their approval_ttl are looked for; an approval expires at most this late. */
  private static final Duration EXPIRY_POLL = Duration.ofSeconds(10);
  private static final Duration VERIFICATION_POLL = Duration.ofSeconds(5);
  private static final Duration RETENTION_INTERVAL = Duration.ofHours(1);
  private static final Duration TRUNCATED_GROUPS_POLL = Duration.ofSeconds(5);
  /** Alertmanager is asked just before acting; an answer slower than this counts as unavailable. */
  private static final Duration ALERTMANAGER_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration ALERTMANAGER_CALL_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration SEAL_POLL = Duration.ofSeconds(1);
  private static final Duration CHAIN_VERIFY_EVERY = Duration.ofHours(1);
  /** How long a verification's PromQL query or health check may take. */
  private static final Duration CHECK_DEADLINE = Duration.ofSeconds(10);
  /** How long a PromQL guard may hold up deciding; past it the rule does not act. */
  private static final Duration GUARD_DEADLINE = Duration.ofSeconds(3);
  /**
   * Alerts per decider transaction. Small batches keep each burst of deciding short, so webhook
   * answers do not queue behind it: at 1,000 alerts/s, 200 per batch gave an ack p99 of 62 ms
   * and 50 gave 14 ms, with the decider keeping up either way (README, "Performance").
   */
  private static final int DECIDE_BATCH = 50;
  /**
   * While intake is saturated, the decider decides one batch every quarter second (200 alerts/s)
   * and leaves the rest of the CPU to acknowledging; it catches up once the storm eases.
   */
  private static final Duration DECIDE_PAUSE_WHILE_BUSY = Duration.ofMillis(250);

  private final ServeConfig config;
  private final Lifecycle lifecycle = new Lifecycle();
  private final Database database;
  private final SharedClients shared;
  private final RulesHolder rules;
  private final RemediatorMetrics metrics;
  private final RulesReloader reloader;
  private final IntakeWriter intake;
  private final BackgroundLoop deciderLoop;
  private final TargetClients targetClients;
  private final Worker worker;
  private final BackgroundLoop workerLoop;
  private final BackgroundLoop renewerLoop;
  private final BackgroundLoop sweeperLoop;
  private final BackgroundLoop retentionLoop;
  private final BackgroundLoop escalatorLoop;
  private final Optional<BackgroundLoop> truncatedGroupsLoop;
  private final Optional<OkHttpClient> alertmanagerHttp;
  private final BackgroundLoop expiryLoop;
  private final AuditSealer sealer;
  private final BackgroundLoop sealerLoop;
  private final BackgroundLoop auditRetentionLoop;
  private final BackgroundLoop chainVerifierLoop;
  private final BackgroundLoop verifierLoop;
  private final ScheduledExecutorService sampler;
  private final AlertInbox inbox = new AlertInbox();
  private final RemediationStore remediations = new RemediationStore();
  private final Breakers breakers;
  private final Silences silences;
  private final TokenAuth webhookAuth;
  private final ApiServer server;
  private volatile boolean stopping;

  /** Builds every collaborator; starts nothing but the store's pool, which is already on the stack. */
  private RemediatorApp(ServeConfig config, Map<String, String> env) {
    this.config = config;
    this.database = openStore(config.databaseUrl().orElse(Database.DEFAULT_URL));
    lifecycle.started("store", database::close);
    ObjectMapper json = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .addModule(new Jdk8Module())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .build();
    this.shared = SharedClients.lazy(() -> new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(10))
        .callTimeout(Duration.ofSeconds(15))
        .build(), json, env);
    lifecycle.started("http client", shared::close);
    this.rules = new RulesHolder(new RulesLoader(ActionCatalog.specs(), env), config.rules());
    RulesHolder.Reload loaded = rules.reload();
    if (!loaded.loaded()) {
      throw new StartupException("rules file " + config.rules() + " is not valid:\n  "
          + String.join("\n  ", loaded.problems()));
    }

    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.metrics = new RemediatorMetrics(prometheus);
    AuditLog audit = new AuditLog();
    this.reloader = new RulesReloader(rules, database, audit, config.clock());

    Wakeup deciderWakeup = new Wakeup();
    Wakeup workerWakeup = new Wakeup();
    Wakeup escalatorWakeup = new Wakeup();
    Wakeup truncatedGroupsWakeup = new Wakeup();
    Wakeup sealerWakeup = new Wakeup();
    this.intake = new IntakeWriter(database, new NotificationStore(), audit, () -> {
      deciderWakeup.signal();
      truncatedGroupsWakeup.signal();
    }, 512, IntakeWriter.DEFAULT_BUDGET_BYTES);
    this.alertmanagerHttp = config.alertmanagerUrl().map(url -> new OkHttpClient.Builder()
        .connectTimeout(ALERTMANAGER_CONNECT_TIMEOUT)
        .readTimeout(ALERTMANAGER_CALL_TIMEOUT)
        .callTimeout(ALERTMANAGER_CALL_TIMEOUT)
        .build());
    Optional<AlertmanagerClient> alertmanager = config.alertmanagerUrl().map(url ->
        new AlertmanagerClient(HttpUrl.get(url), alertmanagerHttp.orElseThrow(), json));
    KillSwitch killSwitch = new KillSwitch(database, new PauseStore(), audit, config.clock());
    this.breakers = new Breakers(new BreakerStore(), audit);
    Optional<PrometheusClient> prometheusApi = config.prometheusUrl()
        .map(url -> new PrometheusClient(shared::http, json, url, CHECK_DEADLINE));
    GuardChain guards = new GuardChain(List.of(
        new PausedGuard(killSwitch),
        new DryRunGuard(config.dryRun()),
        new CooldownGuard(),
        new RateLimitGuard(),
        new MaxFractionGuard(),
        new BreakerGuard(database, breakers),
        new AllowlistGuard(),
        new ApprovalGuard(),
        new PromqlGuard(prometheusApi.map(client -> client.withDeadline(GUARD_DEADLINE)))));
    this.targetClients = new TargetClients(ActionCatalog.MODULES, shared, rules::current);
    OutboxStore outbox = new OutboxStore();
    Decider decider = new Decider(inbox, remediations, outbox, audit, guards, rules::current, ActionCatalog.specs(),
        new ParamRenderer(), targetClients::pin, new BlastRadius(killSwitch, outbox), config.clock(), metrics);
    Rechecker rechecker = new Rechecker(decider, guards, inbox, remediations, audit, rules::current, config.clock());
    Replays replays = new Replays(decider, inbox, remediations, audit, guards, rules::current, config.clock());
    this.deciderLoop = new BackgroundLoop("remediator-decider", () -> {
      // Interrupted work waiting to be decided again goes through the same guards under the same lock.
      int decided = decideYieldingToIntake(decider) + rechecker.recheckBatch(database, DECIDE_BATCH);
      if (decided > 0) {
        workerWakeup.signal();
        // A remediation that awaits approval may have left an approval request in the outbox.
        escalatorWakeup.signal();
        // Deciding writes most audit events; sealing them soon keeps the exported head current.
        sealerWakeup.signal();
      }
      return decided;
    }, deciderWakeup, POLL);
    this.silences = new Silences(database, new SilenceStore(), audit, alertmanager, rules::current, config.clock(),
        workerId(env));
    this.worker = Worker.create(database, targetClients, rules::current, audit, config.clock(), metrics,
        workerId(env), config.workers(), () -> {
          workerWakeup.signal();
          // A finished action may have left an escalation in the outbox.
          escalatorWakeup.signal();
        }, killSwitch, silences, alertmanager);
    this.truncatedGroupsLoop = alertmanager.map(client -> {
      TruncatedGroups groups = new TruncatedGroups(database, new GroupFetches(), audit, client, json, config.clock(),
          workerId(env), deciderWakeup::signal);
      return new BackgroundLoop("remediator-truncated-groups", groups::fetchDue, truncatedGroupsWakeup,
          TRUNCATED_GROUPS_POLL);
    });
    this.workerLoop = new BackgroundLoop("remediator-claimer", worker::claimAndStart, workerWakeup, POLL);
    this.renewerLoop = new BackgroundLoop("remediator-lease-renewer", () -> {
      worker.renewLeases();
      return 0;
    }, new Wakeup(), Leases.RENEW_EVERY);
    this.sweeperLoop = new BackgroundLoop("remediator-lease-sweeper", () -> {
      int swept = worker.queue().sweepExpired();
      if (swept > 0) {
        // Work interrupted under on_interrupt: recheck waits for the decider to decide it again.
        deciderWakeup.signal();
      }
      return swept;
    }, new Wakeup(), Leases.SWEEP_EVERY);
    Escalator escalator = new Escalator(database, outbox, audit, targetClients, config.clock(), metrics,
        workerId(env), config.externalUrl());
    this.escalatorLoop = new BackgroundLoop("remediator-escalator", escalator::escalateDue, escalatorWakeup,
        ESCALATION_POLL);
    ApprovalExpiry expiry = new ApprovalExpiry(database, remediations, outbox, audit, rules::current,
        config.clock());
    this.expiryLoop = new BackgroundLoop("remediator-approval-expiry", () -> {
      int expired = expiry.expireDue();
      if (expired > 0) {
        escalatorWakeup.signal();
      }
      return expired;
    }, new Wakeup(), EXPIRY_POLL);
    VerificationStore verifications = new VerificationStore();
    Verifier verifier = new Verifier(database, new OutboxStore(), verifications, audit, breakers,
        new VerificationProbe(database, verifications, prometheusApi, new HttpProbe(shared::http, CHECK_DEADLINE)),
        rules::current, config.clock(), metrics, workerId(env),
        // A rule with verify: keeps its silence after acting, until its verification ends.
        List.of(ended -> silences.release(ended.remediationId())));
    this.verifierLoop = new BackgroundLoop("remediator-verifier", verifier::verifyDue, new Wakeup(),
        VERIFICATION_POLL);
    Retention retention = new Retention(database, new RetentionStore(), config.clock(), config.retention());
    this.retentionLoop = new BackgroundLoop("remediator-retention", retention::deleteBatch, new Wakeup(),
        RETENTION_INTERVAL);
    ChainKey chainKey = ChainKey.of(config.auditKey());
    this.sealer = new AuditSealer(database, chainKey, config.clock());
    this.sealerLoop = new BackgroundLoop("remediator-audit-sealer", sealer::sealBatch, sealerWakeup, SEAL_POLL);
    ChainMonitor chainMonitor = new ChainMonitor(database, sealer, new AuditVerifier(chainKey));
    this.chainVerifierLoop = new BackgroundLoop("remediator-audit-verifier", chainMonitor::verifyPeriodically,
        new Wakeup(), CHAIN_VERIFY_EVERY);
    AuditRetention auditRetention = new AuditRetention(database, chainKey, config.clock(), config.auditRetention());
    this.auditRetentionLoop = new BackgroundLoop("remediator-audit-retention", auditRetention::deleteSegment,
        new Wakeup(), RETENTION_INTERVAL);

    this.sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "remediator-sampler");
      thread.setDaemon(true);
      return thread;
    });
    metrics.gauge("remediator_rules_loaded", "Rules in force", () -> rules.current().rules().size());
    metrics.gauge("remediator_dry_run",
        "1 when dry run is in force for every rule: REMEDIATOR_DRY_RUN, or settings.dry_run in the rules in force",
        () -> dryRunInForce() ? 1 : 0);
    metrics.gauge("remediator_paused",
        "1 while the kill switch is on (POST /api/v1/pause, or the global max_actions was used up), else 0",
        () -> killSwitch.lastKnownPaused() ? 1 : 0);
    // NaN until the head has been read, so that a restart does not look like a head that went back.
    metrics.gauge("remediator_audit_head_seq",
        "Seq of the newest link of the audit hash chain; a drop means links were cut off the end",
        () -> sealer.head().map(head -> (double) head.seq()).orElse(Double.NaN));
    metrics.gauge("remediator_audit_chain_ok",
        "1 while the audit hash chain verifies (checked hourly and on GET /api/v1/audit/verify) and seals; 0 once broken",
        () -> chainMonitor.ok() ? 1 : 0);

    this.webhookAuth = new TokenAuth(config.webhookToken());
    WebhookHandler webhook = new WebhookHandler(new PayloadParser(), intake, config.clock(), metrics,
        config.grafanaHmacSecret().map(secret -> new GrafanaSignature(secret, config.clock())));
    Sessions sessions = new Sessions(config.clock());
    Access access = new Access(webhookAuth, new TokenAuth(config.viewerToken()), new TokenAuth(config.operatorToken()),
        sessions);
    this.server = new ApiServer(json, webhook, new HealthHandler(database, intake, rules, () -> stopping, killSwitch),
        new ReloadHandler(reloader), new RulesHandler(rules::current),
        new ApprovalHandler(new Approvals(database, remediations, audit, expiry, config.clock(), workerWakeup::signal),
            json),
        new RemediationsHandler(database, new RemediationViews(), new RemediationTimeline()),
        new PauseHandler(killSwitch, json),
        new BreakerHandler(database, breakers, rules::current, config.clock(), json),
        new AuditVerifyHandler(chainMonitor::verify),
        new AuditHandler(database, new AuditReader()), new AlertHandler(database, new AlertHistory()),
        new ReplayHandler(new PayloadParser(), intake, replays, database, new NotificationStore(), new StoredAlerts(),
            config.clock(), json, workerWakeup::signal),
        new SimulateHandler(new RulesLoader(ActionCatalog.specs(), env), Simulations.simulator(), database,
            config.clock()),
        new AuditCountsHandler(database, new OutcomeCounts(), config.clock()),
        new AuditPage(access, sessions, config.externalUrl().filter(url -> url.regionMatches(true, 0, "https:", 0, 6))
            .isPresent()),
        access, metrics, prometheus);
  }

  /**
   * Builds and starts everything. Throws {@link StartupException} with a one-line reason, having
   * stopped whatever had started.
   */
  public static RemediatorApp start(ServeConfig config, Map<String, String> env) {
    Lifecycle partial = null;
    try {
      RemediatorApp app = new RemediatorApp(config, env);
      partial = app.lifecycle;
      app.startAll();
      return app;
    } catch (StartupException e) {
      closeQuietly(partial);
      throw e;
    } catch (Exception e) {
      closeQuietly(partial);
      throw new StartupException("cannot start: " + e.getMessage(), e);
    }
  }

  /** Starts in dependency order, each step pushing its stop onto the lifecycle. */
  private void startAll() throws Exception {
    try {
      database.migrate();
    } catch (StoreUnavailableException e) {
      throw new StartupException(e.getMessage(), e);
    }
    int interrupted = recover();
    if (interrupted > 0) {
      log.warn("{} remediations were left running by an earlier process and are now interrupted", interrupted);
    }
    lifecycle.started("target clients", targetClients::close);
    alertmanagerHttp.ifPresent(http -> lifecycle.started("alertmanager client", () -> {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }));
    // Stopped after the worker, so escalations of actions that fail during the grace still go out.
    lifecycle.start("escalator", escalatorLoop::start, escalatorLoop::close);
    // Stopped before the escalator, so a verification that ends while stopping still escalates.
    lifecycle.start("verifier", verifierLoop::start, verifierLoop::close);
    // Stopped in reverse: the renewer outlives the worker's grace, so running actions keep their leases.
    lifecycle.start("lease renewer", renewerLoop::start, renewerLoop::close);
    lifecycle.started("worker", () -> worker.shutdown(config.shutdownGrace()));
    lifecycle.start("lease sweeper", sweeperLoop::start, sweeperLoop::close);
    lifecycle.start("claimer", workerLoop::start, workerLoop::close);
    lifecycle.start("retention", retentionLoop::start, retentionLoop::close);
    lifecycle.start("approval expiry", expiryLoop::start, expiryLoop::close);
    sealer.warnIfUnkeyed();
    lifecycle.start("audit sealer", sealerLoop::start, sealerLoop::close);
    lifecycle.start("audit retention", auditRetentionLoop::start, auditRetentionLoop::close);
    lifecycle.start("audit verifier", chainVerifierLoop::start, chainVerifierLoop::close);
    lifecycle.start("decider", deciderLoop::start, deciderLoop::close);
    if (truncatedGroupsLoop.isPresent()) {
      BackgroundLoop loop = truncatedGroupsLoop.get();
      lifecycle.start("truncated groups", loop::start, loop::close);
    }
    lifecycle.start("intake", intake::start, intake::close);
    lifecycle.start("sampler",
        () -> sampler.scheduleWithFixedDelay(this::sample, 0, 5, TimeUnit.SECONDS), sampler::shutdownNow);
    lifecycle.start("http server", this::listen, server::close);
    if (config.alertmanagerUrl().isEmpty()) {
      log.info("REMEDIATOR_ALERTMANAGER_URL is not set: no re-check before acting, no fetch of truncated groups,"
          + " no silences");
    }
    warnWithoutPrometheus();
    if (webhookAuth.isOpen()) {
      log.warn("REMEDIATOR_WEBHOOK_TOKEN is not set: POST /webhook accepts requests without credentials");
    }
    log.atInfo().addKeyValue("listen", config.host() + ":" + server.port())
        .addKeyValue("store", database.description()).addKeyValue("rules", rules.current().rules().size())
        .addKeyValue("dryRun", dryRunInForce())
        .log("remediator listening on {}:{}, store {}, {} rules loaded from {}", config.host(), server.port(),
            database.description(), rules.current().rules().size(), config.rules());
  }

  /** Rules that ask Prometheus cannot act or verify without it; say so once, at start. */
  private void warnWithoutPrometheus() {
    if (config.prometheusUrl().isPresent()) {
      return;
    }
    List<String> asking = rules.current().rules().stream()
        .filter(rule -> rule.safeguards().guard().isPresent()
            || rule.safeguards().verify().filter(v -> v instanceof Verification.Query).isPresent())
        .map(Rule::name).toList();
    if (!asking.isEmpty()) {
      log.atWarn().addKeyValue("rules", asking)
          .log("REMEDIATOR_PROMETHEUS_URL is not set, but rules {} use a promql guard or verification: they will skip"
              + " (guard) or end not_verified (verify) until it is set", asking);
    }
  }

  /** Opens the pool; a URL that names no supported store is a startup error, not a stack trace. */
  private static Database openStore(String url) {
    try {
      return Database.open(url, 10);
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  private void listen() {
    try {
      server.start(config.host(), config.port());
    } catch (Exception e) {
      // Javalin may throw a checked exception without declaring it, and on a bind failure its own
      // cleanup can replace the BindException with an unrelated one; probing tells them apart.
      try {
        server.close();
      } catch (Exception stopFailure) {
        e.addSuppressed(stopFailure);
      }
      throw new StartupException("cannot listen on " + config.host() + ":" + config.port() + ": "
          + bindFailure(config.host(), config.port()).orElse(String.valueOf(e.getMessage())), e);
    }
  }

  /** Why {@code host:port} cannot be bound, if it cannot, in lower case (e.g. "address already in use"). */
  private static java.util.Optional<String> bindFailure(String host, int port) {
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new java.net.InetSocketAddress(host, port));
      return java.util.Optional.empty();
    } catch (java.io.IOException e) {
      return java.util.Optional.of(String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT));
    }
  }

  private static void closeQuietly(Lifecycle lifecycle) {
    if (lifecycle != null) {
      lifecycle.close();
    }
  }

  private boolean dryRunInForce() {
    return config.dryRun() || rules.current().dryRun();
  }

  /** The HTTP route table, each route with its role. */
  public List<ApiServer.Route> routes() {
    return server.routes();
  }

  public int port() {
    return server.port();
  }

  public Database database() {
    return database;
  }

  /** Releases the silence a remediation holds; verification calls it when it ends. */
  public Silences silences() {
    return silences;
  }

  public RulesReloader reloader() {
    return reloader;
  }

  /**
   * Work left running by a dead process becomes interrupted, and is escalated or re-checked as its
   * rule's {@code on_interrupt} says. The embedded store has one process only, so everything still
   * running there is from a dead one; on PostgreSQL the lease sweeper of every replica interrupts
   * work whose lease ran out.
   */
  private int recover() {
    return database.dialect().isEmbedded() ? worker.queue().interruptAllRunning() : worker.queue().sweepExpired();
  }

  private void sample() {
    try {
      metrics.queueDepth("intake", intake.queued());
      database.inTransaction(connection -> {
        metrics.queueDepth("undecided_alerts", inbox.countUndecided(connection));
        Map<RemediationState, Long> byState = remediations.countByState(connection);
        for (RemediationState state : List.of(RemediationState.PENDING, RemediationState.RUNNING,
            RemediationState.AWAITING_APPROVAL)) {
          metrics.queueDepth(state.wireName(), byState.getOrDefault(state, 0L));
        }
        for (BreakerView view : breakers.list(connection, rules.current(), config.clock().instant())) {
          if (!view.key().isGroup()) {
            metrics.breakerState(view.key().action(), view.key().target(), view.state().gaugeValue());
          }
        }
        return null;
      });
    } catch (RuntimeException e) {
      log.debug("queue depth and breakers not sampled: {}", e.getMessage());
    }
  }

  /** The id this replica claims work and signs audit events with: host name and process id. */
  static String workerId(Map<String, String> env) {
    return HostName.of(env) + "/" + ProcessHandle.current().pid();
  }

  /**
   * Graceful stop, the started resources in reverse: refuse new webhooks, store what was
   * accepted, stop deciding and claiming, let running actions finish within the shutdown grace
   * (then record them as interrupted), then close the store.
   */
  @Override
  public void close() {
    if (stopping) {
      return;
    }
    stopping = true;
    log.info("remediator stopping");
    lifecycle.close();
    log.info("remediator stopped");
  }

  /**
   * One decider step. An alert storm saturates intake exactly when deciding has the most to do;
   * acknowledging comes first (Alertmanager waits on it and retries what is not acknowledged),
   * so while intake is busy the decider pauses before each small batch and catches up after.
   */
  private int decideYieldingToIntake(Decider decider) throws InterruptedException {
    if (!intake.busy()) {
      return decider.decideBatch(database, DECIDE_BATCH);
    }
    Thread.sleep(DECIDE_PAUSE_WHILE_BUSY.toMillis());
    return decider.decideBatch(database, DECIDE_BATCH);
  }

}
