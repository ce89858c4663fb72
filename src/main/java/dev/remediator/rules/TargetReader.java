package dev.remediator.rules;

import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads one entry of {@code targets:}. Each kind has its own settings, all single values after
 * {@code ${ENV}} expansion; a key the kind does not know is an error, so a misspelt {@code url}
 * is found by {@code check} rather than at 3 a.m. Every kind also takes {@code timeout} (the total
 * deadline of an action on it) and {@code concurrency} (how many actions may run on it at once,
 * across replicas).
 */
final class TargetReader {
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-_.]*");

  /** A target as read, with its {@code breaker} overrides ({@link BreakerSettings.Override#NONE} when it has none). */
  record Read(Target target, BreakerSettings.Override breaker) {}

  /**
   * Required settings first; then optional ones. Every kind also takes the {@link #COMMON} ones;
   * {@code breaker} is kept apart from the settings since it tunes remediator, not the client.
   */
  private record Schema(List<String> required, List<String> optional) {
    List<String> all() {
      List<String> keys = new ArrayList<>(COMMON);
      keys.addAll(required);
      keys.addAll(optional);
      return keys;
    }
  }

  private static final Map<TargetKind, Schema> SCHEMAS = Map.of(
      TargetKind.POSTGRES, new Schema(List.of("jdbc_url"), List.of("user", "password", "password_file")),
      TargetKind.REDIS, new Schema(List.of("url"), List.of("password", "password_file")),
      TargetKind.KUBERNETES, new Schema(List.of(),
          List.of("api_url", "token_file", "ca_file", "namespace", "kubeconfig", "context")),
      TargetKind.RAILWAY, new Schema(List.of(), List.of("token", "token_file", "api_url")),
      TargetKind.COMMAND, new Schema(List.of(), List.of("working_dir")),
      TargetKind.WEBHOOK, new Schema(List.of("url"), List.of("format", "token", "token_file")),
      TargetKind.HTTP, new Schema(List.of("base_url"), List.of("token", "token_file", "headers")));

  private static final List<String> COMMON =
      List.of("kind", "description", BreakerReader.KEY, "timeout", "concurrency");
  /** The bounds of a target's {@code timeout}, as for a rule's. */
  static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
  static final Duration MAX_TIMEOUT = Duration.ofHours(1);
  static final int MAX_CONCURRENCY = 100;

  /** Settings that are a mapping of names to values, kept as {@code key.name} settings. */
  private static final List<String> MAPPINGS = List.of("headers");

  private static final List<String> WEBHOOK_FORMATS = List.of("slack", "json");

  private final NodeReader reader;
  private final Problems problems;

  TargetReader(NodeReader reader, Problems problems) {
    this.reader = reader;
    this.problems = problems;
  }

  Optional<Read> read(NodeReader.Entry entry) {
    String name = entry.key();
    String path = NodeReader.child("targets", name);
    int before = problems.count();
    if (!NAME.matcher(name).matches()) {
      problems.add(entry.keyNode(), path + ": target name " + Quote.of(name)
          + " must be lowercase letters, digits, \"-\", \"_\" or \".\", starting with a letter or digit");
    }
    Node node = entry.value();
    Optional<Map<String, NodeReader.Entry>> read = reader.mapping(node, path, null);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    Map<String, NodeReader.Entry> entries = read.get();
    if (!reader.require(node, entries, path, "kind")) {
      return Optional.empty();
    }
    Node kindNode = entries.get("kind").value();
    Optional<TargetKind> kind = reader.text(kindNode, NodeReader.child(path, "kind")).flatMap(text -> {
      Optional<TargetKind> known = TargetKind.fromWire(text);
      if (known.isEmpty()) {
        problems.add(kindNode, NodeReader.child(path, "kind") + ": unknown target kind " + Quote.of(text) + " (known: "
            + Arrays.stream(TargetKind.values()).map(TargetKind::wireName).collect(Collectors.joining(", ")) + ")");
      }
      return known;
    });
    if (kind.isEmpty()) {
      return Optional.empty();
    }
    Schema schema = SCHEMAS.get(kind.get());
    reader.rejectUnknown(entries, path, schema.all());
    reader.require(node, entries, path, schema.required().toArray(String[]::new));
    Map<String, String> settings = new LinkedHashMap<>();
    BreakerSettings.Override breaker = BreakerSettings.Override.NONE;
    for (NodeReader.Entry setting : entries.values()) {
      String where = NodeReader.child(path, setting.key());
      if (setting.key().equals(BreakerReader.KEY)) {
        breaker = new BreakerReader(reader).read(setting.value(), where).orElse(breaker);
      } else if (MAPPINGS.contains(setting.key())) {
        reader.mapping(setting.value(), where, null).ifPresent(values -> values.values().forEach(value ->
            reader.text(value.value(), NodeReader.child(where, value.key()))
                .ifPresent(text -> settings.put(setting.key() + "." + value.key(), text))));
      } else if (!setting.key().equals("kind") && schema.all().contains(setting.key())) {
        reader.text(setting.value(), where).ifPresent(value -> settings.put(setting.key(), value));
      }
    }
    if (kind.get() == TargetKind.RAILWAY && !settings.containsKey("token") && !settings.containsKey("token_file")) {
      problems.add(node, path + ": a railway target needs token or token_file");
    }
    String format = settings.get("format");
    if (format != null && !WEBHOOK_FORMATS.contains(format)) {
      problems.add(entries.get("format").value(), NodeReader.child(path, "format")
          + ": must be \"slack\" or \"json\", but was " + Quote.of(format));
    }
    checkLimits(entries, settings, path);
    if (problems.count() > before) {
      return Optional.empty();
    }
    return Optional.of(new Read(new Target(name, kind.get(), settings), breaker));
  }

  private void checkLimits(Map<String, NodeReader.Entry> entries, Map<String, String> settings, String path) {
    String timeout = settings.get("timeout");
    if (timeout != null) {
      String where = NodeReader.child(path, "timeout");
      try {
        Duration limit = PromDuration.parse(timeout);
        if (limit.compareTo(MIN_TIMEOUT) < 0 || limit.compareTo(MAX_TIMEOUT) > 0) {
          problems.add(entries.get("timeout").value(), where + ": must be between 1s and 1h, but was " + timeout);
        }
      } catch (IllegalArgumentException e) {
        problems.add(entries.get("timeout").value(), where + ": " + e.getMessage());
      }
    }
    String concurrency = settings.get("concurrency");
    if (concurrency != null && !validConcurrency(concurrency)) {
      problems.add(entries.get("concurrency").value(), NodeReader.child(path, "concurrency")
          + ": must be a whole number from 1 to " + MAX_CONCURRENCY + ", but was " + Quote.of(concurrency));
    }
  }

  private static boolean validConcurrency(String text) {
    if (!text.matches("[0-9]{1,3}")) {
      return false;
    }
    int value = Integer.parseInt(text);
    return value >= 1 && value <= MAX_CONCURRENCY;
  }
}
