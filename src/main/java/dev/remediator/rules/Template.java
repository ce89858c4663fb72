package dev.remediator.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One parsed {@code with} string: literal text with {@code {{ labels.NAME }}},
 * {@code {{ annotations.NAME }}} and {@code {{ fingerprint }}}, {@code {{ status }}},
 * {@code {{ startsAt }}}, {@code {{ endsAt }}}, {@code {{ generatorURL }}} references (spaces
 * inside the braces optional). Parsed once when rules load; rendered for every matching alert.
 */
public final class Template {
  /** The alert's own fields a template may name. */
  public static final Set<String> FIELDS = Set.of("fingerprint", "status", "startsAt", "endsAt", "generatorURL");

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final String KNOWN =
      "use labels.NAME, annotations.NAME, fingerprint, status, startsAt, endsAt or generatorURL";

  /** Where a reference's value comes from. */
  public enum Source { LABELS, ANNOTATIONS, FIELD }

  /** One {@code {{ ... }}} reference; prints as written, e.g. {@code labels.service}. */
  public record Ref(Source source, String name) {
    public Ref {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
      return switch (source) {
        case LABELS -> "labels." + name;
        case ANNOTATIONS -> "annotations." + name;
        case FIELD -> name;
      };
    }
  }

  private final String text;
  private final List<Object> parts;
  private final List<Ref> references;

  private Template(String text, List<Object> parts) {
    this.text = text;
    this.parts = List.copyOf(parts);
    this.references = parts.stream().filter(Ref.class::isInstance).map(Ref.class::cast).toList();
  }

  /** Parses {@code text}; throws IllegalArgumentException for unbalanced braces or an unknown reference. */
  public static Template parse(String text) {
    List<Object> parts = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int open = text.indexOf("{{", i);
      int stray = text.indexOf("}}", i);
      if (stray >= 0 && (open < 0 || stray < open)) {
        throw new IllegalArgumentException("\"}}\" without a matching \"{{\" in " + Quote.of(text));
      }
      if (open < 0) {
        parts.add(text.substring(i));
        break;
      }
      int close = text.indexOf("}}", open + 2);
      int nextOpen = text.indexOf("{{", open + 2);
      if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
        throw new IllegalArgumentException("unclosed \"{{\" in " + Quote.of(text));
      }
      if (open > i) {
        parts.add(text.substring(i, open));
      }
      parts.add(reference(text.substring(open + 2, close).strip()));
      i = close + 2;
    }
    return new Template(text, parts);
  }

  private static Ref reference(String expression) {
    if (expression.startsWith("labels.") && NAME.matcher(expression.substring(7)).matches()) {
      return new Ref(Source.LABELS, expression.substring(7));
    }
    if (expression.startsWith("annotations.") && NAME.matcher(expression.substring(12)).matches()) {
      return new Ref(Source.ANNOTATIONS, expression.substring(12));
    }
    if (FIELDS.contains(expression)) {
      return new Ref(Source.FIELD, expression);
    }
    throw new IllegalArgumentException("unknown template reference " + Quote.of(expression) + " (" + KNOWN + ")");
  }

  public String text() {
    return text;
  }

  /** The references in order of appearance, repeats included. */
  public List<Ref> references() {
    return references;
  }

  public boolean isLiteral() {
    return references.isEmpty();
  }

  /** The text with every reference replaced by {@code values.apply(ref)}. */
  public String render(Function<Ref, String> values) {
    if (references.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 32);
    for (Object part : parts) {
      out.append(part instanceof Ref ref ? values.apply(ref) : (String) part);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
