package dev.remediator.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A rule's {@code with} block read into plain Java values (strings, Integer or Long, Double,
 * Boolean, lists, maps in file order), remembering the line of every key and list item and every
 * string, so templates can be checked and an action's parameter problems placed on their line.
 * Only unquoted {@code true}/{@code false} are booleans and only plain decimal digits are numbers,
 * so {@code on}, {@code 0x1F} or {@code 1:30} stay strings; {@code ${ENV}} expansion always
 * yields a string.
 */
final class WithBlock {
  /** One string value; {@code path} is relative to the block, e.g. {@code argv[5]}. */
  record Leaf(String path, Node node, String value) {}

  private static final Pattern INTEGER = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
  /** More values than any action needs; stops alias chains that expand to millions of nodes. */
  private static final int MAX_VALUES = 10_000;
  private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");

  private final NodeReader reader;
  private final Problems problems;
  private final String base;
  private final Map<String, Integer> lines = new HashMap<>();
  private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());
  private int count;
  private final List<Leaf> strings = new ArrayList<>();
  private boolean valid = true;
  private Map<String, Object> values = Map.of();

  private WithBlock(NodeReader reader, Problems problems, String base) {
    this.reader = reader;
    this.problems = problems;
    this.base = base;
  }

  /** Reads {@code node} (a mapping); problems are reported with paths under {@code base}. */
  static WithBlock read(NodeReader reader, Problems problems, Node node, String base) {
    WithBlock block = new WithBlock(reader, problems, base);
    if (!(node instanceof MappingNode)) {
      problems.add(node, base + ": expected a mapping of parameters, but found " + NodeReader.describe(node));
      block.valid = false;
      return block;
    }
    Object tree = block.convert(node, "");
    if (tree instanceof Map<?, ?>) {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) tree;
      block.values = map;
    }
    return block;
  }

  /** The parameters, or an empty map when the block had problems. */
  Map<String, Object> values() {
    return values;
  }

  boolean valid() {
    return valid;
  }

  List<Leaf> strings() {
    return strings;
  }

  /** The path as messages print it, e.g. {@code rules[0].with.argv[5]}. */
  String absolute(String relative) {
    if (relative.isEmpty()) {
      return base;
    }
    return relative.startsWith("[") ? base + relative : base + "." + relative;
  }

  /** The line of {@code key} ({@code argv}, {@code argv[0]}, {@code a.b}), else of its nearest parent. */
  Optional<Integer> lineOf(String key) {
    String path = key;
    while (!path.isEmpty()) {
      Integer line = lines.get(path);
      if (line != null) {
        return Optional.of(line);
      }
      int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      path = cut < 0 ? "" : path.substring(0, cut);
    }
    return Optional.ofNullable(lines.get(""));
  }

  private Object convert(Node node, String relative) {
    lines.putIfAbsent(relative, Problems.line(node));
    String path = absolute(relative);
    if (!valid && count > MAX_VALUES) {
      return null;
    }
    if (++count > MAX_VALUES) {
      problems.add(node, path + ": more than " + MAX_VALUES + " values in one with block");
      valid = false;
      return null;
    }
    if (!open.add(node)) {
      problems.add(node, path + ": an alias that contains itself cannot be read");
      valid = false;
      return null;
    }
    try {
      return convertOpen(node, relative, path);
    } finally {
      open.remove(node);
    }
  }

  private Object convertOpen(Node node, String relative, String path) {
    if (node instanceof MappingNode) {
      Map<String, Object> map = new LinkedHashMap<>();
      reader.mapping(node, path, null).ifPresentOrElse(entries -> entries.values().forEach(entry -> {
        String child = relative.isEmpty() ? entry.key() : relative + "." + entry.key();
        lines.put(child, Problems.line(entry.keyNode()));
        Object value = convert(entry.value(), child);
        if (value != null) {
          map.put(entry.key(), value);
        }
      }), () -> valid = false);
      return Collections.unmodifiableMap(map);
    }
    if (node instanceof SequenceNode sequence) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < sequence.getValue().size(); i++) {
        Object value = convert(sequence.getValue().get(i), relative + "[" + i + "]");
        if (value != null) {
          list.add(value);
        }
      }
      return Collections.unmodifiableList(list);
    }
    return scalar((ScalarNode) node, relative, path);
  }

  private Object scalar(ScalarNode scalar, String relative, String path) {
    if (NodeReader.isNull(scalar)) {
      problems.add(scalar, path + ": must not be empty (quote it, \"\", for an empty string)");
      valid = false;
      return null;
    }
    Optional<String> expanded = reader.expand(scalar, path);
    if (expanded.isEmpty()) {
      valid = false;
      return null;
    }
    String text = expanded.get();
    Object typed = scalar.isPlain() ? typed(scalar.getTag(), text) : text;
    if (typed instanceof String string) {
      strings.add(new Leaf(relative, scalar, string));
    }
    return typed;
  }

  private static Object typed(Tag tag, String text) {
    if (Tag.BOOL.equals(tag)) {
      return switch (text) {
        case "true", "True", "TRUE" -> Boolean.TRUE;
        case "false", "False", "FALSE" -> Boolean.FALSE;
        default -> text;
      };
    }
    if (Tag.INT.equals(tag) && INTEGER.matcher(text).matches()) {
      try {
        long number = Long.parseLong(text);
        return number == (int) number ? (Object) (int) number : (Object) number;
      } catch (NumberFormatException e) {
        return text;
      }
    }
    if (Tag.FLOAT.equals(tag) && DECIMAL.matcher(text).matches()) {
      return Double.parseDouble(text);
    }
    return text;
  }
}
