package dev.remediator.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.remediator.alert.LabelMatcher;
import dev.remediator.alert.Labels;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link MatcherParser#parse} with Jazzer. The input bytes are read as UTF-8 (invalid
 * sequences become U+FFFD, as they would in a YAML rules file read as UTF-8). Every input must
 * give either a matcher or an IllegalArgumentException whose message starts with
 * {@code bad matcher "<the input, quoted>": }, never another exception. A matcher must have a
 * valid label name, print as a matcher that parses back to itself, and match label sets without
 * throwing.
 *
 * <p>{@code mvn test} runs the seeds in {@code MatcherParserFuzzTestInputs/anyTextIsAMatcherOrAQuotedRefusal/};
 * the build's {@code fuzz} execution fuzzes from them. See the README, "Fuzzing".
 */
class MatcherParserFuzzTest {
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  @FuzzTest
  @Timeout(10)
  void anyTextIsAMatcherOrAQuotedRefusal(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    LabelMatcher matcher;
    try {
      matcher = MatcherParser.parse(text);
    } catch (IllegalArgumentException e) {
      String prefix = "bad matcher " + Quote.of(text) + ": ";
      if (!e.getMessage().startsWith(prefix) || e.getMessage().length() == prefix.length()) {
        throw new AssertionError("refusal that does not quote its input: " + e.getMessage(), e);
      }
      return;
    }
    if (!LABEL_NAME.matcher(matcher.name()).matches()) {
      throw new AssertionError("accepted label name " + Quote.of(matcher.name()));
    }
    assertParsesBackToItself(matcher);
    switch (matcher.op()) {
      case EQUAL -> assertJudgesItsOwnValue(matcher, true);
      case NOT_EQUAL -> assertJudgesItsOwnValue(matcher, false);
      default -> {
        matcher.matches(Labels.EMPTY);
        matcher.matches(Labels.of(matcher.name(), "critical"));
      }
    }
  }

  @Test
  void regexTooLongToMatchEvenTheEmptyStringIsRefused() {
    String input = "a=~\"" + "x*".repeat(50_000) + "\"";

    assertThatIllegalArgumentException().isThrownBy(() -> MatcherParser.parse(input))
        .withMessageStartingWith("bad matcher \"a=~\\\"x*x*")
        .withMessageEndingWith("x*\": too long to evaluate (matching overflows the stack)");
  }

  @Test
  void regexThatOverflowsTheStackOnALongLabelValueMatchesNothing() {
    LabelMatcher regex = MatcherParser.parse("host=~\"(?:[a-z0-9-]+\\.)*example\\.com\"");
    LabelMatcher notRegex = MatcherParser.parse("host!~\"(?:[a-z0-9-]+\\.)*example\\.com\"");
    Labels hostile = Labels.of("host", "a.".repeat(50_000) + "example.com");

    assertThat(regex.matches(hostile)).isFalse();
    assertThat(notRegex.matches(hostile)).isFalse();
    assertThat(regex.matches(Labels.of("host", "db-1.eu.example.com"))).isTrue();
    assertThat(notRegex.matches(Labels.of("host", "db-1.eu.example.org"))).isTrue();
  }

  /** The printed form (used in messages and group keys) denotes the same matcher. */
  private static void assertParsesBackToItself(LabelMatcher matcher) {
    LabelMatcher reparsed;
    try {
      reparsed = MatcherParser.parse(matcher.toString());
    } catch (IllegalArgumentException e) {
      throw new AssertionError("prints as " + Quote.of(matcher.toString()) + ", which does not parse", e);
    }
    if (!reparsed.name().equals(matcher.name()) || reparsed.op() != matcher.op()
        || !reparsed.value().equals(matcher.value())) {
      throw new AssertionError(Quote.of(matcher.toString()) + " parses back as " + Quote.of(reparsed.toString()));
    }
  }

  /** {@code =} matches its own value and {@code !=} does not; a missing label counts as empty. */
  private static void assertJudgesItsOwnValue(LabelMatcher matcher, boolean equal) {
    boolean onValue = matcher.matches(Labels.of(matcher.name(), matcher.value()));
    boolean onMissing = matcher.matches(Labels.EMPTY);
    if (onValue != equal || onMissing != (equal == matcher.value().isEmpty())) {
      throw new AssertionError(Quote.of(matcher.toString()) + " misjudges its own value or a missing label");
    }
  }
}
