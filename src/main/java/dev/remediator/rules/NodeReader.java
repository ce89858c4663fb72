package dev.remediator.rules;

import dev.remediator.config.Suggestion;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads SnakeYAML nodes into typed values. Every problem goes to {@link Problems} at the node's
 * line with its YAML path ({@code rules[3].cooldown}); a reader returns empty instead of
 * throwing, so loading goes on and reports everything. Every scalar is {@code ${ENV}}-expanded.
 */
final class NodeReader {
  /** One mapping entry: its key text, the key node (for the key's line) and the value node. */
  record Entry(String key, Node keyNode, Node value) {}

  private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");

  private final Problems problems;
  private final EnvInterpolator env;

  NodeReader(Problems problems, EnvInterpolator env) {
    this.problems = problems;
    this.env = env;
  }

  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String index(String path, int i) {
    return path + "[" + i + "]";
  }

  /**
   * The entries of a mapping in file order. Reports a node that is not a mapping, merge keys,
   * keys that are not plain values, duplicate keys and, when {@code known} is not null, keys
   * outside it (a typo must not silently disable a limit).
   */
  Optional<Map<String, Entry>> mapping(Node node, String path, Collection<String> known) {
    if (!(node instanceof MappingNode mapping)) {
      problems.add(node, path + ": expected a mapping, but found " + describe(node));
      return Optional.empty();
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (Tag.MERGE.equals(keyNode.getTag())) {
        problems.add(keyNode, "YAML merge keys (\"<<\") are not supported " + where(path) + "; write the keys out");
        continue;
      }
      if (!(keyNode instanceof ScalarNode scalar)) {
        problems.add(keyNode, "keys must be plain values " + where(path) + ", but found " + describe(keyNode));
        continue;
      }
      String key = scalar.getValue();
      Entry first = entries.get(key);
      if (first != null) {
        problems.add(keyNode, "duplicate key " + Quote.of(key) + " " + where(path)
            + " (first at line " + Problems.line(first.keyNode()) + ")");
        continue;
      }
      entries.put(key, new Entry(key, keyNode, tuple.getValueNode()));
    }
    if (known != null) {
      rejectUnknown(entries, path, known);
    }
    return Optional.of(entries);
  }

  void rejectUnknown(Map<String, Entry> entries, String path, Collection<String> known) {
    for (Entry entry : entries.values()) {
      if (!known.contains(entry.key())) {
        problems.add(entry.keyNode(), "unknown key " + Quote.of(entry.key()) + " " + where(path)
            + Suggestion.closest(entry.key(), known).map(s -> " (did you mean " + Quote.of(s) + "?)").orElse(""));
      }
    }
  }

  /** Reports each of {@code keys} missing from {@code entries}, at the mapping's line; true if none is. */
  boolean require(Node node, Map<String, Entry> entries, String path, String... keys) {
    boolean complete = true;
    for (String key : keys) {
      if (!entries.containsKey(key)) {
        problems.add(node, (path.isEmpty() ? "" : path + ": ") + "missing required key " + Quote.of(key));
        complete = false;
      }
    }
    return complete;
  }

  Optional<List<Node>> list(Node node, String path) {
    if (!(node instanceof SequenceNode sequence)) {
      problems.add(node, path + ": expected a list, but found " + describe(node));
      return Optional.empty();
    }
    return Optional.of(sequence.getValue());
  }

  /** A single non-empty value, expanded. */
  Optional<String> text(Node node, String path) {
    if (!(node instanceof ScalarNode scalar)) {
      problems.add(node, path + ": expected a single value, but found " + describe(node));
      return Optional.empty();
    }
    if (isNull(scalar)) {
      problems.add(node, path + ": must not be empty");
      return Optional.empty();
    }
    return expand(scalar, path);
  }

  /** The scalar's text with {@code ${ENV}} expanded; reports and returns empty on a bad reference. */
  Optional<String> expand(ScalarNode scalar, String path) {
    try {
      return Optional.of(env.interpolate(scalar.getValue()));
    } catch (IllegalArgumentException e) {
      problems.add(scalar, path + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  Optional<Boolean> bool(Node node, String path) {
    return text(node, path).flatMap(text -> switch (text) {
      case "true", "True", "TRUE" -> Optional.of(true);
      case "false", "False", "FALSE" -> Optional.of(false);
      default -> {
        problems.add(node, path + ": expected true or false, but was " + Quote.of(text));
        yield Optional.empty();
      }
    });
  }

  /** A whole number of at least 1. */
  Optional<Integer> count(Node node, String path) {
    return text(node, path).flatMap(text -> {
      if (WHOLE_NUMBER.matcher(text).matches() && Integer.parseInt(text) >= 1) {
        return Optional.of(Integer.parseInt(text));
      }
      problems.add(node, path + ": must be a whole number of at least 1, but was " + Quote.of(text));
      return Optional.empty();
    });
  }

  /** A Prometheus duration such as {@code 15m}; zero allowed. */
  Optional<Duration> duration(Node node, String path) {
    return text(node, path).flatMap(text -> {
      try {
        return Optional.of(PromDuration.parse(text));
      } catch (IllegalArgumentException e) {
        problems.add(node, path + ": " + e.getMessage());
        return Optional.empty();
      }
    });
  }

  /** A Prometheus duration longer than zero. */
  Optional<Duration> positive(Node node, String path) {
    return duration(node, path).filter(duration -> {
      if (duration.isZero()) {
        problems.add(node, path + ": must be longer than 0");
        return false;
      }
      return true;
    });
  }

  /** A fraction above 0 and at most 1: {@code 0.25} or {@code 25%}. */
  Optional<Double> fraction(Node node, String path) {
    return text(node, path).flatMap(text -> {
      try {
        double value = text.endsWith("%")
            ? Double.parseDouble(text.substring(0, text.length() - 1).trim()) / 100
            : Double.parseDouble(text);
        if (value > 0 && value <= 1) {
          return Optional.of(value);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problems.add(node, path + ": must be a fraction above 0 and at most 1, such as 0.5 or 50%, but was "
          + Quote.of(text));
      return Optional.empty();
    });
  }

  /** {@code {count: N, per: DURATION}}. */
  Optional<RateLimit> rateLimit(Node node, String path) {
    Optional<Map<String, Entry>> read = mapping(node, path, List.of("count", "per"));
    if (read.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Entry> entries = read.get();
    if (!require(node, entries, path, "count", "per")) {
      return Optional.empty();
    }
    Optional<Integer> count = count(entries.get("count").value(), child(path, "count"));
    Node perNode = entries.get("per").value();
    Optional<Duration> per = duration(perNode, child(path, "per"));
    if (per.isPresent() && per.get().isZero()) {
      problems.add(perNode, child(path, "per") + ": must be longer than 0");
      return Optional.empty();
    }
    if (count.isEmpty() || per.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RateLimit(count.get(), per.get()));
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag()) && scalar.isPlain();
  }

  /** How a node looks in a message: "a mapping", "a list", "nothing" or the quoted value. */
  static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (isNull(node)) {
      return "nothing";
    }
    return Quote.of(((ScalarNode) node).getValue());
  }

  private static String where(String path) {
    return path.isEmpty() ? "at the top level" : "in " + path;
  }
}
