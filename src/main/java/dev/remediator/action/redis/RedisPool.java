package dev.remediator.action.redis;

import dev.remediator.config.ReadFailure;
import dev.remediator.target.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

/**
 * The small Jedis pool of one {@code redis} target: at most two connections to the URL's host
 * and logical db, made on first use, with connect and read timeouts. The password is the URL's,
 * {@code password}, or read from {@code password_file} on every use so that it may rotate (a
 * changed password replaces the pool); giving it in more than one place is an error.
 */
final class RedisPool implements AutoCloseable {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration POOL_WAIT = Duration.ofSeconds(5);

  /** A target whose settings cannot make a pool: the message says which and why, without secrets. */
  static final class SettingsException extends Exception {
    SettingsException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Target target;
  private final String clientName;
  private JedisPool pool;
  private String password;
  private boolean closed;

  RedisPool(Target target, String clientName) {
    this.target = Objects.requireNonNull(target, "target");
    this.clientName = Objects.requireNonNull(clientName, "clientName");
  }

  /** The target's URL, parsed. */
  RedisEndpoint endpoint() throws SettingsException {
    try {
      return RedisEndpoint.parse(target.setting("url"));
    } catch (IllegalArgumentException e) {
      throw new SettingsException(e.getMessage(), null);
    }
  }

  /** The password now in force, for masking it in messages; empty when there is none. */
  synchronized Optional<String> currentPassword() {
    return Optional.ofNullable(password);
  }

  /**
   * A connection from the pool (the caller closes it, which returns it), built or rebuilt for a
   * new password when needed.
   *
   * @throws redis.clients.jedis.exceptions.JedisException when the server cannot be reached or refuses
   */
  Jedis connection() throws SettingsException {
    return pool().getResource();
  }

  private synchronized JedisPool pool() throws SettingsException {
    if (closed) {
      throw new IllegalStateException("the pool of target " + target.name() + " is closed");
    }
    RedisEndpoint endpoint = endpoint();
    String wanted = password(endpoint).orElse(null);
    if (pool != null && Objects.equals(wanted, password)) {
      return pool;
    }
    if (pool != null) {
      pool.close();
    }
    GenericObjectPoolConfig<Jedis> config = new GenericObjectPoolConfig<>();
    config.setMaxTotal(2);
    config.setMaxIdle(2);
    config.setMinIdle(0);
    config.setMaxWait(POOL_WAIT);
    config.setTestOnBorrow(true);
    config.setJmxEnabled(false);
    DefaultJedisClientConfig client = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis((int) CONNECT_TIMEOUT.toMillis())
        .socketTimeoutMillis((int) READ_TIMEOUT.toMillis())
        .database(endpoint.db())
        .user(endpoint.user().orElse(null))
        .password(wanted)
        .ssl(endpoint.tls())
        .clientName(clientName)
        .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
        .build();
    pool = new JedisPool(config, new HostAndPort(endpoint.host(), endpoint.port()), client);
    password = wanted;
    return pool;
  }

  /** The password from the URL, {@code password} or {@code password_file} (less one trailing newline). */
  private Optional<String> password(RedisEndpoint endpoint) throws SettingsException {
    String given = target.setting("password");
    String file = target.setting("password_file");
    int sources = (endpoint.password().isPresent() ? 1 : 0) + (given.isEmpty() ? 0 : 1) + (file.isEmpty() ? 0 : 1);
    if (sources > 1) {
      throw new SettingsException("give the password in one place: the url, password or password_file", null);
    }
    if (endpoint.password().isPresent()) {
      return endpoint.password();
    }
    if (!given.isEmpty()) {
      return Optional.of(given);
    }
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try {
      String text = Files.readString(Path.of(file));
      return Optional.of(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
    } catch (IOException | RuntimeException e) {
      throw new SettingsException("cannot read password_file " + file + ": " + ReadFailure.describe(e), e);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (pool != null) {
      pool.close();
      pool = null;
    }
  }
}
