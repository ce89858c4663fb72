package dev.remediator;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code serve} needs, resolved from flags and environment variables. An empty
 * {@code databaseUrl} means the embedded H2 store under ./data.
 */
public record ServeConfig(String host, int port, Path rules, Optional<String> databaseUrl,
                          Optional<String> webhookToken, Optional<String> operatorToken, boolean dryRun,
                          int workers, Clock clock) {
  public ServeConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(clock, "clock");
    databaseUrl = databaseUrl == null ? Optional.empty() : databaseUrl.filter(url -> !url.isBlank());
    webhookToken = webhookToken == null ? Optional.empty() : webhookToken;
    operatorToken = operatorToken == null ? Optional.empty() : operatorToken;
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("listen port must be 0-65535, but was " + port);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, but was " + workers);
    }
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
