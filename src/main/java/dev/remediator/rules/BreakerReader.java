package dev.remediator.rules;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code breaker: {failure_rate, min_calls, window, open_for}}, any of them, into a
 * {@link BreakerSettings.Override}. Rules and targets both take the mapping, so both read it here
 * and report the same problems in the same words.
 */
final class BreakerReader {
  static final String KEY = "breaker";

  private final NodeReader reader;

  BreakerReader(NodeReader reader) {
    this.reader = reader;
  }

  Optional<BreakerSettings.Override> read(Node node, String path) {
    return reader.mapping(node, path, List.of("failure_rate", "min_calls", "window", "open_for")).map(entries ->
        new BreakerSettings.Override(
            entry(entries, "failure_rate")
                .flatMap(e -> reader.fraction(e.value(), NodeReader.child(path, "failure_rate"))),
            entry(entries, "min_calls").flatMap(e -> reader.count(e.value(), NodeReader.child(path, "min_calls"))),
            entry(entries, "window").flatMap(e -> reader.positive(e.value(), NodeReader.child(path, "window"))),
            entry(entries, "open_for").flatMap(e -> reader.positive(e.value(), NodeReader.child(path, "open_for")))));
  }

  private static Optional<NodeReader.Entry> entry(Map<String, NodeReader.Entry> entries, String key) {
    return Optional.ofNullable(entries.get(key));
  }
}
