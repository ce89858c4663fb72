package dev.remediator.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.remediator.alert.LabelMatcher;
import dev.remediator.alert.LabelMatcher.Op;
import dev.remediator.alert.Labels;
import org.junit.jupiter.api.Test;

class MatcherParserTest {
  @Test
  void parsesEachOperator() {
    assertMatcher("alertname=\"HighErrorRate\"", "alertname", Op.EQUAL, "HighErrorRate");
    assertMatcher("env!=\"dev\"", "env", Op.NOT_EQUAL, "dev");
    assertMatcher("severity=~\"critical|page\"", "severity", Op.REGEX, "critical|page");
    assertMatcher("job!~\"batch.*\"", "job", Op.NOT_REGEX, "batch.*");
  }

  @Test
  void acceptsUnquotedValuesAndWhitespaceAroundEachPart() {
    assertMatcher("alertname=HighErrorRate", "alertname", Op.EQUAL, "HighErrorRate");
    assertMatcher("  severity  =~  \"critical|page\"  ", "severity", Op.REGEX, "critical|page");
    assertMatcher("summary = disk almost full ", "summary", Op.EQUAL, "disk almost full");
    assertMatcher("quoted=\" keeps spaces \"", "quoted", Op.EQUAL, " keeps spaces ");
  }

  @Test
  void unescapesQuoteBackslashAndNewlineAndKeepsOtherBackslashes() {
    assertMatcher("q=\"say \\\"hi\\\"\"", "q", Op.EQUAL, "say \"hi\"");
    assertMatcher("path=\"C:\\\\tmp\"", "path", Op.EQUAL, "C:\\tmp");
    assertMatcher("text=\"two\\nlines\"", "text", Op.EQUAL, "two\nlines");
    assertMatcher("code=~\"5\\d\\d\"", "code", Op.REGEX, "5\\d\\d");
  }

  @Test
  void readsOperatorCharactersInsideTheValueAsAlertmanagerDoes() {
    assertMatcher("tricky=~~~", "tricky", Op.REGEX, "~~");
    assertMatcher("eq===", "eq", Op.EQUAL, "==");
  }

  @Test
  void regexesAreFullyAnchored() {
    LabelMatcher crit = MatcherParser.parse("severity=~\"crit\"");

    assertThat(crit.matches(Labels.of("severity", "crit"))).isTrue();
    assertThat(crit.matches(Labels.of("severity", "critical"))).isFalse();
    assertThat(crit.matches(Labels.of("severity", "not-crit"))).isFalse();
  }

  @Test
  void missingLabelMatchesAsEmptyString() {
    Labels noEnv = Labels.of("alertname", "HighErrorRate");

    assertThat(MatcherParser.parse("env!=\"dev\"").matches(noEnv)).isTrue();
    assertThat(MatcherParser.parse("env=\"\"").matches(noEnv)).isTrue();
    assertThat(MatcherParser.parse("env=~\"prod|\"").matches(noEnv)).isTrue();
    assertThat(MatcherParser.parse("env=~\".+\"").matches(noEnv)).isFalse();
  }

  @Test
  void badOperatorIsRejectedQuotingTheInput() {
    assertThatIllegalArgumentException().isThrownBy(() -> MatcherParser.parse("severity~=\"critical\""))
        .withMessage("bad matcher \"severity~=\\\"critical\\\"\": expected one of =, !=, =~, !~ after label name"
            + " \"severity\", but found \"~=\"");
    assertThatIllegalArgumentException().isThrownBy(() -> MatcherParser.parse("severity"))
        .withMessage("bad matcher \"severity\": expected one of =, !=, =~, !~ after label name \"severity\","
            + " but found nothing");
  }

  @Test
  void emptyLabelNameIsRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> MatcherParser.parse("=\"x\""))
        .withMessage("bad matcher \"=\\\"x\\\"\": label name is empty");
    assertThatIllegalArgumentException().isThrownBy(() -> MatcherParser.parse("   "))
        .withMessage("bad matcher \"   \": empty matcher, expected NAME OP VALUE such as alertname=\"HighErrorRate\"");
  }

  @Test
  void invalidLabelNameIsRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> MatcherParser.parse("invalid-name=\"x\""))
        .withMessage("bad matcher \"invalid-name=\\\"x\\\"\": invalid label name \"invalid-name\""
            + " (must match [a-zA-Z_:][a-zA-Z0-9_:]*)");
  }

  @Test
  void unterminatedQuoteIsRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> MatcherParser.parse("job=\"api"))
        .withMessage("bad matcher \"job=\\\"api\": unterminated quoted value (no closing double quote)");
    assertThatIllegalArgumentException().isThrownBy(() -> MatcherParser.parse("job=\"api\\\""))
        .withMessage("bad matcher \"job=\\\"api\\\\\\\"\": unterminated quoted value (no closing double quote)");
  }

  @Test
  void unescapedQuoteInsideValueIsRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> MatcherParser.parse("job=api\""))
        .withMessage("bad matcher \"job=api\\\"\": value contains an unescaped double quote"
            + " (write \\\" inside a quoted value)");
  }

  @Test
  void missingValueIsRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> MatcherParser.parse("job="))
        .withMessage("bad matcher \"job=\": value is missing (write \"\" to match an empty or missing label)");
  }

  @Test
  void severalMatchersInOneEntryAreRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MatcherParser.parse("alertname=\"HighErrorRate\", severity=\"critical\""))
        .withMessageEndingWith(": found \",\" outside quotes; write each matcher as its own list entry");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MatcherParser.parse("alertname=HighErrorRate,severity=critical"))
        .withMessage("bad matcher \"alertname=HighErrorRate,severity=critical\": found \",\" outside quotes;"
            + " write each matcher as its own list entry");
  }

  @Test
  void commaInsideQuotesIsPartOfTheValue() {
    assertMatcher("foo=\"bar,quux\"", "foo", Op.EQUAL, "bar,quux");
  }

  @Test
  void badRegexIsRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> MatcherParser.parse("severity=~\"(crit\""))
        .withMessage("bad matcher \"severity=~\\\"(crit\\\"\": bad regex \"(crit\": Unclosed group");
  }

  private static void assertMatcher(String input, String name, Op op, String value) {
    LabelMatcher matcher = MatcherParser.parse(input);
    assertThat(matcher.name()).as(input).isEqualTo(name);
    assertThat(matcher.op()).as(input).isEqualTo(op);
    assertThat(matcher.value()).as(input).isEqualTo(value);
  }
}
