package dev.remediator.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.rules.Template.Ref;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link Template#parse} and {@link ParamRenderer#render} with Jazzer, with a fuzzed
 * {@code with} string and fuzzed alert values, rendered lenient and strict. Parsing gives a
 * template or an IllegalArgumentException; rendering gives the parameters or a
 * {@link TemplateException}, never anything else. The security properties: a substituted value
 * always matches its allow pattern, and when strict every label or annotation has one and no
 * substituted value starts with {@code -} (even where the pattern would let it through). A
 * refusal names the reference that failed, and shows the value escaped and cut short.
 *
 * <p>An input is UTF-8 text, one field per line; in each field {@code \n}, {@code \\} and
 * {@code \}{@code uXXXX} are escapes, so values can hold newlines and lone surrogates:
 * <ol>
 *   <li>the {@code with} string, e.g. {@code deployment/{{ labels.service }}}
 *   <li>label {@code service}, allowed {@code [a-z0-9-]{1,63}} (the README's pattern)
 *   <li>label {@code namespace}, allowed {@code prod|staging}
 *   <li>label {@code team}, with no allow pattern
 *   <li>annotation {@code summary}, allowed {@code .*}
 *   <li>generatorURL
 *   <li>fingerprint
 *   <li>label {@code host}, allowed {@code (?:[a-z0-9-]+\.)*[a-z0-9-]+}: java.util.regex recurses
 *       once per repetition of that group, so a long dotted value would overflow the stack at a
 *       length that depends on the thread; values past {@link ParamRenderer#MAX_CHECKED_LENGTH}
 *       are refused before any matching
 * </ol>
 * A missing line leaves the label, annotation or field out.
 *
 * <p>{@code mvn test} runs the seeds in
 * {@code TemplateFuzzTestInputs/renderingYieldsAllowedValuesOrARefusal/}; the build's {@code fuzz}
 * execution fuzzes from them. See the README, "Fuzzing".
 */
class TemplateFuzzTest {
  private static final Map<String, Pattern> ALLOW = Map.of(
      "service", AnchoredRegex.compile("[a-z0-9-]{1,63}"),
      "namespace", AnchoredRegex.compile("prod|staging"),
      "annotations.summary", AnchoredRegex.compile(".*"),
      "host", AnchoredRegex.compile("(?:[a-z0-9-]+\\.)*[a-z0-9-]+"));
  private static final String[] LABELS = {"service", "namespace", "team"};
  private static final Instant STARTS_AT = Instant.parse("2024-03-01T02:59:30Z");
  /** A refusal quotes at most 64 characters of the value, each at worst as {@code \}{@code uXXXX}. */
  private static final int MAX_REFUSAL_BEYOND_REFERENCE = 512;

  private final ParamRenderer renderer = new ParamRenderer();

  @FuzzTest
  @Timeout(10)
  void renderingYieldsAllowedValuesOrARefusal(byte[] input) {
    List<String> fields = fields(input);
    String text = fields.get(0);
    Template template;
    try {
      template = Template.parse(text);
    } catch (IllegalArgumentException e) {
      template = null;
    }
    Alert alert = alert(fields);
    Rule rule = rule(text);
    assertRendersOrRefuses(rule, template, alert, false);
    assertRendersOrRefuses(rule, template, alert, true);
  }

  @Test
  void valueTooLongToCheckAgainstItsAllowPatternIsRefusedOnEveryThread() {
    Alert alert = alert(List.of("", "", "", "", "", "", "", "a.".repeat(50_000) + "example"));

    TemplateException e = catchThrowableOfType(TemplateException.class,
        () -> renderer.render(rule("ssh {{ labels.host }}"), alert, false));

    assertThat(e).hasMessage("labels.host value \"" + "a.".repeat(32) + "\"... is longer than 1024 characters,"
        + " the most an allow pattern is checked against");
    assertThat(e.reference()).isEqualTo("labels.host");
  }

  private void assertRendersOrRefuses(Rule rule, Template template, Alert alert, boolean strict) {
    Map<String, Object> params;
    try {
      params = renderer.render(rule, alert, strict);
    } catch (TemplateException e) {
      assertRefusalIsJustified(e, template, alert, strict);
      return;
    }
    if (template == null) {
      throw new AssertionError("rendered a with string that does not parse");
    }
    for (Ref ref : template.references()) {
      String value = valueOf(alert, ref);
      String problem = problem(ref, value, strict);
      if (problem != null) {
        throw new AssertionError("rendered " + ref + " = " + Quote.cut(value) + " although " + problem);
      }
      if (strict && value.startsWith("-")) {
        throw new AssertionError("strict rendering substituted " + Quote.cut(value) + " for " + ref);
      }
    }
    String expected = template.render(ref -> valueOf(alert, ref));
    Map<String, Object> wanted = Map.of("argv", List.of("restart", expected), "meta", Map.of("text", expected));
    if (!params.equals(wanted)) {
      throw new AssertionError("rendered " + params + ", expected " + wanted);
    }
  }

  private static void assertRefusalIsJustified(TemplateException e, Template template, Alert alert, boolean strict) {
    String message = e.getMessage();
    if (!"fuzzed".equals(e.rule())) {
      throw new AssertionError("refusal names rule " + e.rule(), e);
    }
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        throw new AssertionError("refusal shows character U+%04X unescaped".formatted((int) c), e);
      }
    }
    if (template == null) {
      if (!e.reference().isEmpty()) {
        throw new AssertionError("a with string that does not parse is refused for " + e.reference(), e);
      }
      return;
    }
    Ref failing = null;
    for (Ref ref : template.references()) {
      if (problem(ref, valueOf(alert, ref), strict) != null) {
        failing = ref;
        break;
      }
    }
    if (failing == null || !failing.toString().equals(e.reference())) {
      throw new AssertionError("refused " + e.reference() + ", but the first failing reference is " + failing, e);
    }
    if (message.length() > e.reference().length() + MAX_REFUSAL_BEYOND_REFERENCE) {
      throw new AssertionError("refusal of " + message.length() + " characters", e);
    }
  }

  /** Why {@code value} must not be substituted for {@code ref}, or null when it may be. */
  private static String problem(Ref ref, String value, boolean strict) {
    Pattern allow = switch (ref.source()) {
      case LABELS -> ALLOW.get(ref.name());
      case ANNOTATIONS -> ALLOW.get("annotations." + ref.name());
      case FIELD -> null;
    };
    if (allow != null && value.length() > ParamRenderer.MAX_CHECKED_LENGTH) {
      return "it is longer than " + ParamRenderer.MAX_CHECKED_LENGTH + " characters";
    }
    if (allow != null) {
      try {
        if (!allow.matcher(value).matches()) {
          return "it does not match " + allow;
        }
      } catch (StackOverflowError e) {
        return "matching it against " + allow + " overflows the stack";
      }
    }
    if (strict && allow == null && ref.source() != Template.Source.FIELD) {
      return "it has no allow pattern";
    }
    if (strict && value.startsWith("-")) {
      return "it starts with \"-\"";
    }
    return null;
  }

  private static String valueOf(Alert alert, Ref ref) {
    return switch (ref.source()) {
      case LABELS -> alert.labels().get(ref.name());
      case ANNOTATIONS -> alert.annotations().get(ref.name());
      case FIELD -> switch (ref.name()) {
        case "fingerprint" -> alert.fingerprint();
        case "status" -> alert.status().wireName();
        case "startsAt" -> "2024-03-01T02:59:30Z";
        case "endsAt" -> "";
        case "generatorURL" -> alert.generatorURL();
        default -> throw new AssertionError("template accepted unknown field " + ref.name());
      };
    };
  }

  /** A rule that renders {@code text} in a list and in a nested map, with {@link #ALLOW}. */
  private static Rule rule(String text) {
    return new Rule("fuzzed", 1, List.of(), "command", "deployer",
        Map.of("argv", List.of("restart", text), "meta", Map.of("text", text)), ALLOW,
        Optional.empty(), List.of(), Optional.empty(), false, false);
  }

  private static Alert alert(List<String> fields) {
    Map<String, String> labels = new HashMap<>();
    labels.put("alertname", "HighErrorRate");
    for (int i = 0; i < LABELS.length && i + 1 < fields.size(); i++) {
      labels.put(LABELS[i], fields.get(i + 1));
    }
    Labels annotations = fields.size() > 4 ? Labels.of("summary", fields.get(4)) : Labels.EMPTY;
    String generatorURL = fields.size() > 5 ? fields.get(5) : "";
    String fingerprint = fields.size() > 6 ? fields.get(6) : "0123456789abcdef";
    if (fields.size() > 7) {
      labels.put("host", fields.get(7));
    }
    return new Alert(AlertStatus.FIRING, Labels.of(labels), annotations, STARTS_AT, Optional.empty(),
        generatorURL, fingerprint);
  }

  /** The input's lines, each unescaped; always at least one. */
  static List<String> fields(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    List<String> fields = new ArrayList<>();
    int start = 0;
    for (int newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      fields.add(unescape(text.substring(start, newline)));
      start = newline + 1;
    }
    fields.add(unescape(text.substring(start)));
    return fields;
  }

  private static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      char next = i + 1 < field.length() ? field.charAt(i + 1) : 0;
      if (c == '\\' && (next == 'n' || next == '\\')) {
        out.append(next == 'n' ? '\n' : '\\');
        i++;
      } else if (c == '\\' && next == 'u' && isHex(field, i + 2, 4)) {
        out.append((char) Integer.parseInt(field, i + 2, i + 6, 16));
        i += 5;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isHex(String text, int start, int count) {
    if (start + count > text.length()) {
      return false;
    }
    for (int i = start; i < start + count; i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
