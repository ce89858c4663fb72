package dev.remediator.rules;

import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a rule's safety keys ({@link #KEYS}) into {@link Safeguards}, reporting every problem
 * with its path. Values here never come from alerts: a verification URL is fixed in the file.
 */
final class SafeguardReader {
  static final List<String> KEYS = List.of("breaker", "ineffective_after", "guard", "verify",
      "silence_while_remediating", "approval_ttl", "on_interrupt", "max_fraction", "escalate_to");
  /** Actions that take instances away, which {@code max_fraction} bounds. */
  static final Set<String> FRACTION_ACTIONS = Set.of("restart", "scale");

  private final NodeReader reader;
  private final Problems problems;
  private final Map<String, Target> targets;

  SafeguardReader(NodeReader reader, Problems problems, Map<String, Target> targets) {
    this.reader = reader;
    this.problems = problems;
    this.targets = targets;
  }

  /** The safeguards among {@code entries} (a rule's keys) for a rule running {@code action}. */
  Safeguards read(Map<String, NodeReader.Entry> entries, String path, Optional<String> action) {
    BreakerSettings.Override breaker = entry(entries, "breaker")
        .flatMap(e -> new BreakerReader(reader).read(e.value(), NodeReader.child(path, BreakerReader.KEY)))
        .orElse(BreakerSettings.Override.NONE);
    OptionalInt ineffectiveAfter = entry(entries, "ineffective_after")
        .flatMap(e -> reader.count(e.value(), NodeReader.child(path, "ineffective_after")))
        .map(OptionalInt::of).orElse(OptionalInt.empty());
    Optional<PromCheck> guard = entry(entries, "guard").flatMap(e -> guard(e.value(), NodeReader.child(path, "guard")));
    Optional<Verification> verify = entry(entries, "verify")
        .flatMap(e -> verify(e.value(), NodeReader.child(path, "verify")));
    Optional<Duration> silence = entry(entries, "silence_while_remediating")
        .flatMap(e -> reader.positive(e.value(), NodeReader.child(path, "silence_while_remediating")));
    Duration approvalTtl = entry(entries, "approval_ttl")
        .flatMap(e -> reader.positive(e.value(), NodeReader.child(path, "approval_ttl"))).orElse(Safeguards.DEFAULT_APPROVAL_TTL);
    OnInterrupt onInterrupt = entry(entries, "on_interrupt")
        .flatMap(e -> onInterrupt(e.value(), NodeReader.child(path, "on_interrupt"))).orElse(OnInterrupt.ESCALATE);
    OptionalDouble maxFraction = entry(entries, "max_fraction")
        .flatMap(e -> maxFraction(e.value(), NodeReader.child(path, "max_fraction"), action))
        .map(OptionalDouble::of).orElse(OptionalDouble.empty());
    Optional<String> escalateTo = entry(entries, "escalate_to")
        .flatMap(e -> escalateTo(e.value(), NodeReader.child(path, "escalate_to")));
    return new Safeguards(breaker, ineffectiveAfter, guard, verify, silence, approvalTtl, onInterrupt, maxFraction,
        escalateTo);
  }

  private Optional<PromCheck> guard(Node node, String path) {
    return reader.mapping(node, path, List.of("promql", "expect")).flatMap(entries -> {
      if (!reader.require(node, entries, path, "promql", "expect")) {
        return Optional.empty();
      }
      return promCheck(entries, path);
    });
  }

  private Optional<PromCheck> promCheck(Map<String, NodeReader.Entry> entries, String path) {
    Optional<String> promql = reader.text(entries.get("promql").value(), NodeReader.child(path, "promql"));
    Node expectNode = entries.get("expect").value();
    Optional<Expectation> expect = reader.text(expectNode, NodeReader.child(path, "expect")).flatMap(text -> {
      try {
        return Optional.of(Expectation.parse(text));
      } catch (IllegalArgumentException e) {
        problems.add(expectNode, NodeReader.child(path, "expect") + ": " + e.getMessage());
        return Optional.empty();
      }
    });
    if (promql.isEmpty() || expect.isEmpty()) {
      return Optional.empty();
    }
    if (promql.get().contains("{{")) {
      problems.add(entries.get("promql").value(), NodeReader.child(path, "promql")
          + ": must be fixed text; alert values never reach a query");
      return Optional.empty();
    }
    return Optional.of(new PromCheck(promql.get(), expect.get()));
  }

  /** Exactly one of {@code resolved_within}, {@code promql} (with expect and within) or {@code http_get}. */
  private Optional<Verification> verify(Node node, String path) {
    return reader.mapping(node, path, List.of("resolved_within", "promql", "expect", "within", "http_get"))
        .flatMap(entries -> {
          long kinds = List.of("resolved_within", "promql", "http_get").stream().filter(entries::containsKey).count();
          if (kinds != 1) {
            problems.add(node, path + ": must give exactly one of resolved_within, promql (with expect and within)"
                + " or http_get");
            return Optional.empty();
          }
          if (entries.containsKey("resolved_within")) {
            if (entries.containsKey("expect") || entries.containsKey("within")) {
              problems.add(node, path + ": resolved_within takes no expect or within");
              return Optional.empty();
            }
            return reader.positive(entries.get("resolved_within").value(), NodeReader.child(path, "resolved_within"))
                .map(Verification.ResolvedWithin::new);
          }
          if (entries.containsKey("promql")) {
            if (!reader.require(node, entries, path, "expect", "within")) {
              return Optional.empty();
            }
            Optional<Duration> within = reader.positive(entries.get("within").value(), NodeReader.child(path, "within"));
            Optional<PromCheck> check = promCheck(entries, path);
            return check.isPresent() && within.isPresent()
                ? Optional.of(new Verification.Query(check.get(), within.get())) : Optional.empty();
          }
          if (entries.containsKey("expect") || entries.containsKey("within")) {
            problems.add(node, path + ": put expect and within inside http_get");
            return Optional.empty();
          }
          return httpGet(entries.get("http_get").value(), NodeReader.child(path, "http_get"));
        });
  }

  private Optional<Verification> httpGet(Node node, String path) {
    return reader.mapping(node, path, List.of("url", "expect", "within")).flatMap(entries -> {
      if (!reader.require(node, entries, path, "url", "within")) {
        return Optional.empty();
      }
      Node urlNode = entries.get("url").value();
      Optional<URI> url = reader.text(urlNode, NodeReader.child(path, "url")).flatMap(text -> {
        String where = NodeReader.child(path, "url");
        if (text.contains("{{")) {
          problems.add(urlNode, where + ": must be fixed text; alert values never reach a URL");
          return Optional.empty();
        }
        try {
          URI uri = new URI(text);
          String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
          if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            problems.add(urlNode, where + ": must be an http or https URL with a host, but was " + Quote.of(text));
            return Optional.empty();
          }
          return Optional.of(uri);
        } catch (URISyntaxException e) {
          problems.add(urlNode, where + ": not a URL: " + e.getReason());
          return Optional.empty();
        }
      });
      OptionalInt status = OptionalInt.of(200);
      if (entries.containsKey("expect")) {
        Node expectNode = entries.get("expect").value();
        status = reader.text(expectNode, NodeReader.child(path, "expect")).map(text -> {
          if (text.matches("[1-5][0-9][0-9]")) {
            return OptionalInt.of(Integer.parseInt(text));
          }
          problems.add(expectNode, NodeReader.child(path, "expect") + ": must be an HTTP status such as 200, but was "
              + Quote.of(text));
          return OptionalInt.empty();
        }).orElse(OptionalInt.empty());
      }
      Optional<Duration> within = reader.positive(entries.get("within").value(), NodeReader.child(path, "within"));
      if (url.isEmpty() || status.isEmpty() || within.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Verification.HttpGet(url.get(), status.getAsInt(), within.get()));
    });
  }

  private Optional<OnInterrupt> onInterrupt(Node node, String path) {
    return reader.text(node, path).flatMap(text -> switch (text) {
      case "escalate" -> Optional.of(OnInterrupt.ESCALATE);
      case "recheck" -> Optional.of(OnInterrupt.RECHECK);
      default -> {
        problems.add(node, path + ": must be \"escalate\" or \"recheck\", but was " + Quote.of(text));
        yield Optional.empty();
      }
    });
  }

  private Optional<Double> maxFraction(Node node, String path, Optional<String> action) {
    if (action.isPresent() && !FRACTION_ACTIONS.contains(action.get())) {
      problems.add(node, path + ": applies to restart and scale only, not to " + Quote.of(action.get()));
      return Optional.empty();
    }
    return reader.fraction(node, path);
  }

  private Optional<String> escalateTo(Node node, String path) {
    return reader.text(node, path).filter(name -> {
      Target target = targets.get(name);
      if (target == null) {
        problems.add(node, path + ": unknown target " + Quote.of(name) + " (known: "
            + (targets.isEmpty() ? "none" : String.join(", ", new TreeSet<>(targets.keySet()))) + ")");
        return false;
      }
      if (target.kind() != TargetKind.WEBHOOK) {
        problems.add(node, path + ": target " + Quote.of(name) + " is a " + target.kind().wireName()
            + " target; escalations go to a webhook target");
        return false;
      }
      return true;
    });
  }

  private static Optional<NodeReader.Entry> entry(Map<String, NodeReader.Entry> entries, String key) {
    return Optional.ofNullable(entries.get(key));
  }
}
