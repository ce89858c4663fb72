package dev.remediator.app;

import dev.remediator.config.BaseUrl;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code serve} needs, resolved from flags and environment variables. An empty
 * {@code databaseUrl} means the embedded SQLite store in ./data. {@code shutdownGrace} is how long
 * a stop waits for running actions; {@code retention} how long notifications and alerts are kept;
 * {@code grafanaHmacSecret}, when set, the secret Grafana signs its webhook payloads with;
 * {@code alertmanagerUrl}, when set, the Alertmanager asked for re-checks, truncated groups and silences;
 * {@code externalUrl}, when set, where humans reach this server (escalations link there), kept
 * without a trailing slash;
 * {@code auditKey}, when set, the HMAC key of the audit hash chain (else plain SHA-256);
 * {@code auditRetention} how long audit events are kept before whole old segments of the chain go;
 * {@code prometheusUrl}, when set, the Prometheus that PromQL guards and verifications ask;
 * {@code viewerToken}, when set, the credential that may read the audit trail and the alerts.
 */
public record ServeConfig(String host, int port, Path rules, Optional<String> databaseUrl,
                          Optional<String> webhookToken, Optional<String> operatorToken, boolean dryRun,
                          int workers, Clock clock, Duration shutdownGrace, Duration retention,
                          Optional<String> grafanaHmacSecret, Optional<URI> alertmanagerUrl,
                          Optional<String> externalUrl, Optional<String> auditKey, Duration auditRetention,
                          Optional<String> prometheusUrl, Optional<String> viewerToken) {
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(25);
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
  /** Runbook 004 keeps audit logs for 90 days. */
  public static final Duration DEFAULT_AUDIT_RETENTION = Duration.ofDays(90);

  public ServeConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(auditRetention, "auditRetention");
    databaseUrl = databaseUrl == null ? Optional.empty() : databaseUrl.filter(url -> !url.isBlank());
    webhookToken = webhookToken == null ? Optional.empty() : webhookToken;
    operatorToken = operatorToken == null ? Optional.empty() : operatorToken;
    grafanaHmacSecret = grafanaHmacSecret == null ? Optional.empty() : grafanaHmacSecret.filter(v -> !v.isEmpty());
    alertmanagerUrl = alertmanagerUrl == null ? Optional.empty() : alertmanagerUrl;
    alertmanagerUrl = alertmanagerUrl.map(url ->
        BaseUrl.parse("REMEDIATOR_ALERTMANAGER_URL", url.toString(), "http://alertmanager:9093", false));
    externalUrl = externalUrl == null ? Optional.empty()
        : externalUrl.filter(v -> !v.isBlank())
            .map(url -> BaseUrl.parse("REMEDIATOR_EXTERNAL_URL", url, "https://remediator.example.com", false).toString());
    auditKey = auditKey == null ? Optional.empty() : auditKey.filter(v -> !v.isEmpty());
    prometheusUrl = prometheusUrl == null ? Optional.empty() : prometheusUrl.filter(v -> !v.isBlank());
    prometheusUrl = prometheusUrl.map(url ->
        BaseUrl.parse("REMEDIATOR_PROMETHEUS_URL", url, "http://prometheus:9090", true).toString());
    viewerToken = viewerToken == null ? Optional.empty() : viewerToken;
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("listen port must be 0-65535, but was " + port);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, but was " + workers);
    }
    if (shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("shutdown grace must not be negative, but was " + shutdownGrace);
    }
    if (retention.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException("retention must be at least 1h, but was " + retention);
    }
    if (auditRetention.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException("audit retention must be at least 1h, but was " + auditRetention);
    }
  }

  /** The default shutdown grace (25s), retention (30d) and audit retention (90d); no audit key. */
  public ServeConfig(String host, int port, Path rules, Optional<String> databaseUrl, Optional<String> webhookToken,
                     Optional<String> operatorToken, boolean dryRun, int workers, Clock clock) {
    this(host, port, rules, databaseUrl, webhookToken, operatorToken, dryRun, workers, clock,
        DEFAULT_SHUTDOWN_GRACE, DEFAULT_RETENTION, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), DEFAULT_AUDIT_RETENTION, Optional.empty(), Optional.empty());
  }

  public ServeConfig withShutdownGrace(Duration grace) {
    return new ServeConfig(host, port, rules, databaseUrl, webhookToken, operatorToken, dryRun, workers, clock,
        grace, retention, grafanaHmacSecret, alertmanagerUrl, externalUrl, auditKey,
        auditRetention, prometheusUrl, viewerToken);
  }

  public ServeConfig withRetention(Duration keep) {
    return new ServeConfig(host, port, rules, databaseUrl, webhookToken, operatorToken, dryRun, workers, clock,
        shutdownGrace, keep, grafanaHmacSecret, alertmanagerUrl, externalUrl, auditKey,
        auditRetention, prometheusUrl, viewerToken);
  }

  public ServeConfig withPort(int newPort) {
    return new ServeConfig(host, newPort, rules, databaseUrl, webhookToken, operatorToken, dryRun, workers, clock,
        shutdownGrace, retention, grafanaHmacSecret, alertmanagerUrl, externalUrl, auditKey, auditRetention,
        prometheusUrl, viewerToken);
  }

  public ServeConfig withClock(Clock newClock) {
    return new ServeConfig(host, port, rules, databaseUrl, webhookToken, operatorToken, dryRun, workers, newClock,
        shutdownGrace, retention, grafanaHmacSecret, alertmanagerUrl, externalUrl, auditKey,
        auditRetention, prometheusUrl, viewerToken);
  }

  /** With a secret, Grafana's webhook payloads must carry its HMAC signature (REMEDIATOR_GRAFANA_HMAC_SECRET). */
  public ServeConfig withGrafanaHmacSecret(Optional<String> secret) {
    return new ServeConfig(host, port, rules, databaseUrl, webhookToken, operatorToken, dryRun, workers, clock,
        shutdownGrace, retention, secret, alertmanagerUrl, externalUrl, auditKey, auditRetention, prometheusUrl,
        viewerToken);
  }

  /** With a URL, Alertmanager's API is asked for re-checks, truncated groups and silences (REMEDIATOR_ALERTMANAGER_URL). */
  public ServeConfig withAlertmanagerUrl(Optional<URI> url) {
    return new ServeConfig(host, port, rules, databaseUrl, webhookToken, operatorToken, dryRun, workers, clock,
        shutdownGrace, retention, grafanaHmacSecret, url, externalUrl, auditKey,
        auditRetention, prometheusUrl, viewerToken);
  }

  /** With an external URL, escalations link to {@code <url>/#/remediations/<id>} (REMEDIATOR_EXTERNAL_URL). */
  public ServeConfig withExternalUrl(Optional<String> url) {
    return new ServeConfig(host, port, rules, databaseUrl, webhookToken, operatorToken, dryRun, workers, clock,
        shutdownGrace, retention, grafanaHmacSecret, alertmanagerUrl, url, auditKey,
        auditRetention, prometheusUrl, viewerToken);
  }

  /** With the Prometheus that PromQL guards and verifications ask (REMEDIATOR_PROMETHEUS_URL). */
  public ServeConfig withPrometheusUrl(Optional<String> url) {
    return new ServeConfig(host, port, rules, databaseUrl, webhookToken, operatorToken, dryRun, workers, clock,
        shutdownGrace, retention, grafanaHmacSecret, alertmanagerUrl, externalUrl, auditKey, auditRetention, url,
        viewerToken);
  }

  /** With a token, the viewer credential may read (REMEDIATOR_VIEWER_TOKEN). */
  public ServeConfig withViewerToken(Optional<String> token) {
    return new ServeConfig(host, port, rules, databaseUrl, webhookToken, operatorToken, dryRun, workers, clock,
        shutdownGrace, retention, grafanaHmacSecret, alertmanagerUrl, externalUrl, auditKey, auditRetention,
        prometheusUrl, token);
  }

  /** Parses REMEDIATOR_ALERTMANAGER_URL; empty or blank means none. */
  public static Optional<URI> alertmanagerUrl(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(BaseUrl.parse("REMEDIATOR_ALERTMANAGER_URL", text, "http://alertmanager:9093", false));
  }

  /** With a key, the audit chain is sealed with HMAC-SHA256 under it (REMEDIATOR_AUDIT_KEY). */
  public ServeConfig withAuditKey(Optional<String> key) {
    return new ServeConfig(host, port, rules, databaseUrl, webhookToken, operatorToken, dryRun, workers, clock,
        shutdownGrace, retention, grafanaHmacSecret, alertmanagerUrl, externalUrl, key, auditRetention, prometheusUrl,
        viewerToken);
  }

  public ServeConfig withAuditRetention(Duration keep) {
    return new ServeConfig(host, port, rules, databaseUrl, webhookToken, operatorToken, dryRun, workers, clock,
        shutdownGrace, retention, grafanaHmacSecret, alertmanagerUrl, externalUrl, auditKey, keep, prometheusUrl,
        viewerToken);
  }

  /** Parses {@code host:port} (IPv6 hosts in brackets), as REMEDIATOR_LISTEN is written. */
  public static String[] splitListen(String listen) {
    int colon = listen.lastIndexOf(':');
    if (colon <= 0 || colon == listen.length() - 1) {
      throw new IllegalArgumentException("REMEDIATOR_LISTEN must be host:port, but was \"" + listen + "\"");
    }
    String host = listen.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String port = listen.substring(colon + 1);
    if (!port.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("REMEDIATOR_LISTEN port must be a number, but was \"" + port + "\"");
    }
    return new String[] {host, port};
  }
}
