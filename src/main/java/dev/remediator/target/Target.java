package dev.remediator.target;

import java.util.Map;
import java.util.Objects;

/**
 * A named thing that actions act on (a database, a cluster, a webhook). {@code settings} holds the
 * target's scalar fields after {@code ${ENV}} interpolation, e.g. {@code url} or {@code jdbc_url}.
 */
public record Target(String name, TargetKind kind, Map<String, String> settings) {
  public Target {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    settings = settings == null ? Map.of() : Map.copyOf(settings);
  }

  public String setting(String key) {
    return settings.getOrDefault(key, "");
  }

  /** The settings under {@code prefix.}, such as an http target's {@code headers.X-Team}, by the rest of their key. */
  public Map<String, String> settingsUnder(String prefix) {
    String start = prefix + ".";
    Map<String, String> under = new java.util.TreeMap<>();
    settings.forEach((key, value) -> {
      if (key.startsWith(start)) {
        under.put(key.substring(start.length()), value);
      }
    });
    return under;
  }
}
