package dev.remediator.rules;

import dev.remediator.alert.LabelMatcher;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads one entry of {@code rules:} into a {@link Rule}, checking it against the action catalog
 * and the file's targets. Reports every problem in the rule and returns empty if there was any.
 */
final class RuleReader {
  static final List<String> KEYS = Stream.concat(Stream.of("name", "match", "action", "target",
      "with", "allow", "cooldown", "group_by", "max_actions", "dry_run", "approval"), SafeguardReader.KEYS.stream())
      .toList();

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final String ANNOTATIONS = "annotations.";

  private final NodeReader reader;
  private final Problems problems;
  private final Map<String, ActionSpec> catalog;
  private final Map<String, Target> targets;
  private final Set<String> declaredTargets;
  private final Map<String, Integer> ruleNames = new HashMap<>();

  RuleReader(NodeReader reader, Problems problems, Map<String, ActionSpec> catalog, Map<String, Target> targets,
             Set<String> declaredTargets) {
    this.reader = reader;
    this.problems = problems;
    this.catalog = catalog;
    this.targets = targets;
    this.declaredTargets = declaredTargets;
  }

  Optional<Rule> read(Node node, int index) {
    String path = NodeReader.index("rules", index);
    int before = problems.count();
    Optional<Map<String, NodeReader.Entry>> read = reader.mapping(node, path, KEYS);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    Map<String, NodeReader.Entry> entries = read.get();
    reader.require(node, entries, path, "name", "match", "action", "target");
    Optional<String> name = value(entries, "name").flatMap(entry -> name(entry, path));
    List<LabelMatcher> matchers = value(entries, "match").map(entry -> matchers(entry, path)).orElse(List.of());
    Optional<ActionSpec> spec = value(entries, "action").flatMap(entry -> action(entry, path));
    Optional<String> target = value(entries, "target").flatMap(entry -> target(entry, path, spec));
    Set<String> allowKeys = new LinkedHashSet<>();
    Map<String, Pattern> allow = value(entries, "allow").map(entry -> allow(entry, path, allowKeys)).orElse(Map.of());
    Optional<TargetKind> kind = target.map(targets::get).map(Target::kind);
    Map<String, Object> with = with(node, entries, path, spec, kind, allowKeys);
    Optional<Duration> cooldown = value(entries, "cooldown")
        .flatMap(entry -> reader.duration(entry.value(), NodeReader.child(path, "cooldown")));
    List<String> groupBy = value(entries, "group_by").map(entry -> groupBy(entry, path)).orElse(List.of());
    Optional<RateLimit> maxActions = value(entries, "max_actions")
        .flatMap(entry -> reader.rateLimit(entry.value(), NodeReader.child(path, "max_actions")));
    boolean dryRun = value(entries, "dry_run")
        .flatMap(entry -> reader.bool(entry.value(), NodeReader.child(path, "dry_run"))).orElse(false);
    boolean approvalRequired = value(entries, "approval").map(entry -> approval(entry, path)).orElse(false);
    Safeguards safeguards = new SafeguardReader(reader, problems, targets).read(entries, path, spec.map(ActionSpec::name));
    if (problems.count() > before || name.isEmpty() || spec.isEmpty() || target.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Rule(name.get(), Problems.line(node), matchers, spec.get().name(), target.get(), with,
        allow, cooldown, groupBy, maxActions, dryRun, approvalRequired, safeguards));
  }

  private static Optional<NodeReader.Entry> value(Map<String, NodeReader.Entry> entries, String key) {
    return Optional.ofNullable(entries.get(key));
  }

  private Optional<String> name(NodeReader.Entry entry, String path) {
    String where = NodeReader.child(path, "name");
    return reader.text(entry.value(), where).filter(name -> {
      if (!TargetReader.NAME.matcher(name).matches()) {
        problems.add(entry.value(), where + ": rule name " + Quote.of(name)
            + " must be lowercase letters, digits, \"-\", \"_\" or \".\", starting with a letter or digit");
        return false;
      }
      Integer first = ruleNames.putIfAbsent(name, Problems.line(entry.value()));
      if (first != null) {
        problems.add(entry.value(), where + ": duplicate rule name " + Quote.of(name) + " (first at line " + first + ")");
        return false;
      }
      return true;
    });
  }

  private List<LabelMatcher> matchers(NodeReader.Entry entry, String path) {
    String where = NodeReader.child(path, "match");
    List<LabelMatcher> matchers = new ArrayList<>();
    reader.list(entry.value(), where).ifPresent(items -> {
      if (items.isEmpty()) {
        problems.add(entry.value(), where + ": must list at least one matcher, such as 'alertname=\"HighErrorRate\"'");
      }
      for (int i = 0; i < items.size(); i++) {
        Node item = items.get(i);
        String itemPath = NodeReader.index(where, i);
        reader.text(item, itemPath).ifPresent(text -> {
          try {
            matchers.add(MatcherParser.parse(text));
          } catch (IllegalArgumentException e) {
            problems.add(item, itemPath + ": " + e.getMessage());
          }
        });
      }
    });
    return matchers;
  }

  private Optional<ActionSpec> action(NodeReader.Entry entry, String path) {
    String where = NodeReader.child(path, "action");
    return reader.text(entry.value(), where).flatMap(name -> {
      ActionSpec spec = catalog.get(name);
      if (spec == null) {
        String known = catalog.isEmpty() ? "none" : String.join(", ", new TreeSet<>(catalog.keySet()));
        problems.add(entry.value(), where + ": unknown action " + Quote.of(name) + " (known: " + known + ")");
      }
      return Optional.ofNullable(spec);
    });
  }

  private Optional<String> target(NodeReader.Entry entry, String path, Optional<ActionSpec> spec) {
    String where = NodeReader.child(path, "target");
    return reader.text(entry.value(), where).filter(name -> {
      Target target = targets.get(name);
      if (target == null) {
        if (!declaredTargets.contains(name)) {
          String known = declaredTargets.isEmpty() ? "none" : String.join(", ", new TreeSet<>(declaredTargets));
          problems.add(entry.value(), where + ": unknown target " + Quote.of(name) + " (known: " + known + ")");
        }
        return false;
      }
      if (spec.isPresent() && !spec.get().targetKinds().contains(target.kind())) {
        problems.add(entry.value(), where + ": action " + Quote.of(spec.get().name()) + " cannot use "
            + target.kind().wireName() + " target " + Quote.of(name) + " (it needs a " + kinds(spec.get()) + " target)");
        return false;
      }
      return true;
    });
  }

  private static String kinds(ActionSpec spec) {
    List<String> names = Arrays.stream(TargetKind.values()).filter(spec.targetKinds()::contains)
        .map(TargetKind::wireName).toList();
    if (names.size() <= 1) {
      return String.join("", names);
    }
    return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
  }

  private Map<String, Pattern> allow(NodeReader.Entry entry, String path, Set<String> keys) {
    String where = NodeReader.child(path, "allow");
    Map<String, Pattern> allow = new LinkedHashMap<>();
    reader.mapping(entry.value(), where, null).ifPresent(entries -> entries.values().forEach(pattern -> {
      String key = pattern.key();
      String keyPath = NodeReader.child(where, key);
      keys.add(key);
      if (!isAllowKey(key)) {
        String hint = key.startsWith("labels.") ? "write the bare label name " + Quote.of(key.substring(7))
            : "write a label name or annotations.NAME";
        problems.add(pattern.keyNode(), keyPath + ": " + Quote.of(key) + " is not a label name (" + hint + ")");
        return;
      }
      reader.text(pattern.value(), keyPath).ifPresent(regex -> {
        try {
          allow.put(key, AnchoredRegex.compile(regex));
        } catch (IllegalArgumentException e) {
          problems.add(pattern.value(), keyPath + ": " + e.getMessage());
        }
      });
    }));
    return allow;
  }

  private static boolean isAllowKey(String key) {
    String name = key.startsWith(ANNOTATIONS) ? key.substring(ANNOTATIONS.length()) : key;
    return LABEL_NAME.matcher(name).matches();
  }

  private Map<String, Object> with(Node rule, Map<String, NodeReader.Entry> entries, String path,
                                   Optional<ActionSpec> spec, Optional<TargetKind> kind, Set<String> allowKeys) {
    String where = NodeReader.child(path, "with");
    NodeReader.Entry entry = entries.get("with");
    WithBlock block = entry == null ? null : WithBlock.read(reader, problems, entry.value(), where);
    if (block != null && !block.valid()) {
      return Map.of();
    }
    Map<String, Object> with = block == null ? Map.of() : block.values();
    if (block != null) {
      templates(block, spec.map(ActionSpec::strictTemplates).orElse(false), allowKeys);
    }
    spec.ifPresent(action -> {
      List<ActionSpec.ParamProblem> found = kind.isPresent() ? action.validate(kind.get(), with) : action.validate(with);
      for (ActionSpec.ParamProblem problem : found) {
        String key = problem.key() == null ? "" : problem.key();
        int line = block == null ? Problems.line(rule) : block.lineOf(key).orElse(Problems.line(rule));
        String at = key.isEmpty() ? where : key.startsWith("[") ? where + key : where + "." + key;
        problems.add(line, at + ": " + problem.message());
      }
    });
    return with;
  }

  private void templates(WithBlock block, boolean strict, Set<String> allowKeys) {
    for (WithBlock.Leaf leaf : block.strings()) {
      String at = block.absolute(leaf.path());
      Template template;
      try {
        template = Template.parse(leaf.value());
      } catch (IllegalArgumentException e) {
        problems.add(leaf.node(), at + ": " + e.getMessage());
        continue;
      }
      if (!strict) {
        continue;
      }
      Set<String> reported = new LinkedHashSet<>();
      for (Template.Ref ref : template.references()) {
        String key = switch (ref.source()) {
          case LABELS -> ref.name();
          case ANNOTATIONS -> ANNOTATIONS + ref.name();
          case FIELD -> null;
        };
        if (key != null && !allowKeys.contains(key) && reported.add(key)) {
          problems.add(leaf.node(), at + " uses " + ref + ", which has no allow pattern");
        }
      }
    }
  }

  private List<String> groupBy(NodeReader.Entry entry, String path) {
    String where = NodeReader.child(path, "group_by");
    List<String> labels = new ArrayList<>();
    reader.list(entry.value(), where).ifPresent(items -> {
      for (int i = 0; i < items.size(); i++) {
        String itemPath = NodeReader.index(where, i);
        Node item = items.get(i);
        reader.text(item, itemPath).ifPresent(label -> {
          if (LABEL_NAME.matcher(label).matches()) {
            labels.add(label);
          } else {
            problems.add(item, itemPath + ": invalid label name " + Quote.of(label) + " (must match [a-zA-Z_][a-zA-Z0-9_]*)");
          }
        });
      }
    });
    return labels;
  }

  private boolean approval(NodeReader.Entry entry, String path) {
    String where = NodeReader.child(path, "approval");
    return reader.text(entry.value(), where).map(text -> switch (text) {
      case "required" -> true;
      case "none" -> false;
      default -> {
        problems.add(entry.value(), where + ": must be \"required\" or \"none\", but was " + Quote.of(text));
        yield false;
      }
    }).orElse(false);
  }
}
