package dev.remediator.action;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/**
 * What the composition root builds once and every target's clients derive from: the base HTTP
 * client (derived per target with {@code newBuilder()}, sharing its pool and threads), the JSON
 * mapper and the server's environment. The HTTP client may be built on first use: building one
 * loads the platform's TLS trust store, which a server that has not acted yet need not wait for.
 */
public final class SharedClients implements AutoCloseable {
  private final Supplier<OkHttpClient> build;
  private final ObjectMapper json;
  private final Map<String, String> env;
  private volatile OkHttpClient http;

  public SharedClients(OkHttpClient http, ObjectMapper json, Map<String, String> env) {
    this(() -> http, json, env);
    Objects.requireNonNull(http, "http");
  }

  private SharedClients(Supplier<OkHttpClient> build, ObjectMapper json, Map<String, String> env) {
    this.build = Objects.requireNonNull(build, "build");
    this.json = Objects.requireNonNull(json, "json");
    this.env = Map.copyOf(env);
  }

  /** Shared clients whose HTTP client {@code build} makes the first time one is asked for. */
  public static SharedClients lazy(Supplier<OkHttpClient> build, ObjectMapper json, Map<String, String> env) {
    return new SharedClients(build, json, env);
  }

  public OkHttpClient http() {
    OkHttpClient built = http;
    if (built == null) {
      synchronized (this) {
        built = http;
        if (built == null) {
          built = Objects.requireNonNull(build.get(), "the HTTP client built");
          http = built;
        }
      }
    }
    return built;
  }

  public ObjectMapper json() {
    return json;
  }

  public Map<String, String> env() {
    return env;
  }

  /** Stops the HTTP client's threads and connections, if it was ever built. */
  @Override
  public synchronized void close() {
    if (http != null) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }
}
