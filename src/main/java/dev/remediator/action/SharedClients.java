package dev.remediator.action;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * What the composition root builds once and every target's clients derive from: the base HTTP
 * client (derived per target with {@code newBuilder()}, sharing its pool and threads), the JSON
 * mapper and the server's environment.
 */
public record SharedClients(OkHttpClient http, ObjectMapper json, Map<String, String> env) {
  public SharedClients {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(json, "json");
    env = Map.copyOf(env);
  }
}
