package dev.remediator.rules;

import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads and validates a rules file ({@code rules/remediation.yml}): top-level {@code settings},
 * {@code targets}, {@code escalate_to} and {@code rules}. It reads the YAML node tree so every
 * problem carries its line, checks each rule against the action catalog, expands
 * {@code ${ENV}} references once from the injected environment, and reports every problem at
 * once in a {@link RulesException}.
 */
public final class RulesLoader {
  static final List<String> TOP_KEYS = List.of("settings", "targets", "escalate_to", "rules");
  static final List<String> SETTINGS_KEYS = List.of("dry_run", "max_actions");

  private final Map<String, ActionSpec> catalog;
  private final EnvInterpolator env;

  public RulesLoader(Map<String, ActionSpec> catalog, Map<String, String> env) {
    this.catalog = Map.copyOf(catalog);
    this.env = new EnvInterpolator(env);
  }

  /** Reads {@code file} as UTF-8 and parses it; problems name the file as given. */
  public RuleSet load(Path file) throws IOException {
    return parse(file.toString(), Files.readString(file));
  }

  /** Parses rules text; {@code source} names it in problems. Throws RulesException listing every problem. */
  public RuleSet parse(String source, String text) {
    Problems problems = new Problems(source);
    Node root = compose(source, text);
    if (root == null || NodeReader.isNull(root)) {
      problems.add(1, "the file is empty; expected a mapping with settings, targets, escalate_to and rules");
      problems.throwIfAny();
    }
    NodeReader reader = new NodeReader(problems, env);
    Optional<Map<String, NodeReader.Entry>> top = reader.mapping(root, "the file", TOP_KEYS);
    if (top.isEmpty()) {
      problems.throwIfAny();
    }
    Map<String, NodeReader.Entry> entries = top.orElseThrow();
    reader.require(root, entries, "", "rules");

    boolean dryRun = false;
    Optional<RateLimit> maxActions = Optional.empty();
    NodeReader.Entry settings = entries.get("settings");
    if (settings != null) {
      Optional<Map<String, NodeReader.Entry>> read = reader.mapping(settings.value(), "settings", SETTINGS_KEYS);
      if (read.isPresent()) {
        NodeReader.Entry flag = read.get().get("dry_run");
        dryRun = flag != null && reader.bool(flag.value(), "settings.dry_run").orElse(false);
        NodeReader.Entry limit = read.get().get("max_actions");
        maxActions = limit == null ? Optional.empty() : reader.rateLimit(limit.value(), "settings.max_actions");
      }
    }

    Map<String, Target> targets = new LinkedHashMap<>();
    Map<String, BreakerSettings.Override> breakers = new LinkedHashMap<>();
    Set<String> declared = new LinkedHashSet<>();
    NodeReader.Entry targetsEntry = entries.get("targets");
    if (targetsEntry != null) {
      TargetReader targetReader = new TargetReader(reader, problems);
      reader.mapping(targetsEntry.value(), "targets", null).ifPresent(map -> map.values().forEach(entry -> {
        declared.add(entry.key());
        targetReader.read(entry).ifPresent(read -> {
          targets.put(read.target().name(), read.target());
          breakers.put(read.target().name(), read.breaker());
        });
      }));
    }

    Optional<String> escalateTo = Optional.ofNullable(entries.get("escalate_to"))
        .flatMap(entry -> escalation(reader, problems, entry, targets, declared));

    List<Rule> rules = new ArrayList<>();
    NodeReader.Entry rulesEntry = entries.get("rules");
    if (rulesEntry != null) {
      RuleReader ruleReader = new RuleReader(reader, problems, catalog, targets, declared);
      reader.list(rulesEntry.value(), "rules").ifPresent(items -> {
        for (int i = 0; i < items.size(); i++) {
          ruleReader.read(items.get(i), i).ifPresent(rules::add);
        }
      });
    }
    problems.throwIfAny();
    return new RuleSet(source, dryRun, maxActions, targets, rules, escalateTo, breakers);
  }

  private static Node compose(String source, String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowRecursiveKeys(false);
    try {
      return new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? 1 : mark.getLine() + 1;
      String context = e.getContext() == null ? "" : e.getContext() + ": ";
      throw new RulesException(source, List.of(source + ":" + line + ": YAML syntax error: " + context + e.getProblem()));
    } catch (YAMLException e) {
      throw new RulesException(source, List.of(source + ":1: YAML error: " + e.getMessage()));
    }
  }

  private static Optional<String> escalation(NodeReader reader, Problems problems, NodeReader.Entry entry,
                                             Map<String, Target> targets, Set<String> declared) {
    return reader.text(entry.value(), "escalate_to").filter(name -> {
      Target target = targets.get(name);
      if (target == null) {
        if (!declared.contains(name)) {
          problems.add(entry.value(), "escalate_to: unknown target " + Quote.of(name) + " (known: "
              + (declared.isEmpty() ? "none" : String.join(", ", new TreeSet<>(declared))) + ")");
        }
        return false;
      }
      if (target.kind() != TargetKind.WEBHOOK) {
        problems.add(entry.value(), "escalate_to: target " + Quote.of(name) + " is a " + target.kind().wireName()
            + " target, but escalation needs a webhook target");
        return false;
      }
      return true;
    });
  }
}
