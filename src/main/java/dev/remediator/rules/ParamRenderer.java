package dev.remediator.rules;

import dev.remediator.alert.Alert;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Renders a rule's {@code with} parameters for one alert: every template string substituted,
 * lists and nested maps recursed, other values passed through. Each substituted label or
 * annotation value must fully match the rule's allow pattern for it, when there is one; when
 * {@code strict} (the action's {@code strictTemplates()}), every label or annotation needs a
 * pattern and no substituted value may start with {@code -}. Templates are parsed once per rule
 * and kept until the rule object changes (a reload).
 */
public final class ParamRenderer {
  /**
   * The longest value checked against an allow pattern; a longer one is refused. Far above any
   * name, host or namespace an action takes, and far below the length at which java.util.regex
   * overflows a thread's stack on a repeated group (about 3,000 characters on a 1 MiB stack).
   */
  public static final int MAX_CHECKED_LENGTH = 1024;

  private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

  private record Parsed(Rule rule, Map<String, Object> with) {}

  /** The rendered parameters; throws TemplateException naming the refused reference. */
  public Map<String, Object> render(Rule rule, Alert alert, boolean strict) {
    Parsed entry = parsed.get(rule.name());
    if (entry == null || entry.rule() != rule) {
      entry = new Parsed(rule, castMap(parseTree(rule, rule.with())));
      parsed.put(rule.name(), entry);
    }
    return castMap(renderTree(entry.with(), new Values(rule, alert, strict)));
  }

  private static Object parseTree(Rule rule, Object node) {
    if (node instanceof String text) {
      try {
        Template template = Template.parse(text);
        return template.isLiteral() ? text : template;
      } catch (IllegalArgumentException e) {
        throw new TemplateException(rule.name(), "", e.getMessage());
      }
    }
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((key, value) -> out.put(String.valueOf(key), parseTree(rule, value)));
      return Collections.unmodifiableMap(out);
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(value -> out.add(parseTree(rule, value)));
      return Collections.unmodifiableList(out);
    }
    return node;
  }

  private static Object renderTree(Object node, Values values) {
    if (node instanceof Template template) {
      return template.render(values::of);
    }
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((key, value) -> out.put((String) key, renderTree(value, values)));
      return Collections.unmodifiableMap(out);
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(value -> out.add(renderTree(value, values)));
      return Collections.unmodifiableList(out);
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object tree) {
    return (Map<String, Object>) tree;
  }

  /** Looks up and checks one reference's value for one alert. */
  private record Values(Rule rule, Alert alert, boolean strict) {
    String of(Template.Ref ref) {
      String value = switch (ref.source()) {
        case LABELS -> alert.labels().get(ref.name());
        case ANNOTATIONS -> alert.annotations().get(ref.name());
        case FIELD -> field(ref.name());
      };
      Pattern allow = allowPattern(rule, ref);
      if (allow != null && value.length() > MAX_CHECKED_LENGTH) {
        throw refuse(ref, ref + " value " + Quote.cut(value) + " is longer than " + MAX_CHECKED_LENGTH
            + " characters, the most an allow pattern is checked against");
      }
      if (allow != null && !allows(allow, ref, value)) {
        throw refuse(ref, ref + " value " + Quote.cut(value) + " does not match allow pattern "
            + AnchoredRegex.source(allow));
      }
      if (strict && allow == null && ref.source() != Template.Source.FIELD) {
        throw refuse(ref, ref + " has no allow pattern");
      }
      if (strict && value.startsWith("-")) {
        throw refuse(ref, ref + " value " + Quote.cut(value) + " starts with \"-\"");
      }
      return value;
    }

    /**
     * Whether {@code allow} matches all of {@code value}. java.util.regex recurses once per
     * repetition of a group, so a long value can overflow the stack on a pattern such as
     * {@code (?:[a-z0-9-]+\.)*[a-z]+}, at a length that depends on the thread's stack. Values
     * past {@link #MAX_CHECKED_LENGTH} never get here, which keeps the answer the same on every
     * thread and replica; should a pattern still overflow, the value is refused, never let through.
     */
    private boolean allows(Pattern allow, Template.Ref ref, String value) {
      try {
        return allow.matcher(value).matches();
      } catch (StackOverflowError e) {
        throw refuse(ref, ref + " value " + Quote.cut(value) + " is too long to check against allow pattern "
            + AnchoredRegex.source(allow) + " (matching overflows the stack)");
      }
    }

    private String field(String name) {
      return switch (name) {
        case "fingerprint" -> alert.fingerprint();
        case "status" -> alert.status().wireName();
        case "startsAt" -> DateTimeFormatter.ISO_INSTANT.format(alert.startsAt());
        case "endsAt" -> alert.endsAt().map(DateTimeFormatter.ISO_INSTANT::format).orElse("");
        case "generatorURL" -> alert.generatorURL();
        default -> throw new IllegalStateException("no alert field " + name);
      };
    }

    private TemplateException refuse(Template.Ref ref, String message) {
      return new TemplateException(rule.name(), ref.toString(), message);
    }
  }

  /** The allow pattern covering {@code ref}: keyed by the bare label name, or {@code annotations.NAME}. */
  static Pattern allowPattern(Rule rule, Template.Ref ref) {
    return switch (ref.source()) {
      case LABELS -> rule.allow().get(ref.name());
      case ANNOTATIONS -> rule.allow().get("annotations." + ref.name());
      case FIELD -> null;
    };
  }
}
