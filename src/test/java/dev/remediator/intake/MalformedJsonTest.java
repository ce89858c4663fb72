package dev.remediator.intake;

import static dev.remediator.intake.Payloads.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MalformedJsonTest {
  private final PayloadParser parser = new PayloadParser();

  @Test
  void emptyBodyIsRejected() {
    assertThat(rejection(new byte[0]).getMessage()).isEqualTo("empty body");
    assertThat(rejection(" \r\n\t".getBytes(StandardCharsets.UTF_8)).getMessage()).isEqualTo("empty body");
  }

  @Test
  void truncatedJsonIsRejectedWithItsPosition() {
    PayloadException e = rejection(json("{'version': '4',"));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.field()).isEmpty();
    assertThat(e.reason()).isEqualTo("malformed JSON at line 1, column 17: unexpected end of input");
    assertThat(e.getMessage()).isEqualTo(e.reason());
  }

  @Test
  void truncatedArrayReasonDoesNotEchoTheSourceDescription() {
    assertThat(rejection(json("{'version': '4', 'alerts': [")).reason())
        .isEqualTo("malformed JSON at line 1, column 29: unexpected end of input");
  }

  @Test
  void syntaxErrorNamesLineAndColumn() {
    assertThat(rejection(json("{'version': '4',\n 'alerts' []}")).reason()).isEqualTo(
        "malformed JSON at line 2, column 11: unexpected character ('[' (code 91)):"
            + " was expecting a colon to separate field name and value");
  }

  @Test
  void mismatchedCloseMarkerIsDescribedWithoutItsStartLocation() {
    assertThat(rejection(json("{'version': '4']")).reason())
        .isEqualTo("malformed JSON at line 1, column 16: unexpected close marker ']': expected '}'");
  }

  @Test
  void contentAfterTheFirstValueIsRejected() {
    assertThat(rejection(json("{'version': '4', 'alerts': []} {}")).reason())
        .isEqualTo("malformed JSON at line 1, column 32: unexpected content after the JSON value");
  }

  @Test
  void longUnknownTokenIsCutShort() {
    String reason = rejection(json("{'version': " + "yesterday".repeat(50) + "}")).reason();

    assertThat(reason).isEqualTo("malformed JSON at line 1, column 45: unrecognized token '"
        + "yesterday".repeat(4).substring(0, 32) + "...': expected a JSON value");
  }

  @Test
  void invalidUtf8IsRefusedWithTheFieldThatHoldsIt() {
    byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, '"', '}'};

    assertThat(rejection(body).field()).isEqualTo("a");
    assertThat(rejection(body).reason())
        .isEqualTo("must be valid UTF-8 (found an overlong or malformed byte sequence, or a lone surrogate)");
  }

  @Test
  void reasonsNameNoClassesAndEchoNoSource() {
    byte[][] bodies = {
        json("{'version': '4', 'alerts': [{'labels': {'alertname': 'A'}"),
        json("{'version': 4a}"),
        json("{'a': '\u0001'}"),
        {(byte) 0xff, (byte) 0xfe, 0, 0, 1, 2},
        json("{'n': " + "9".repeat(2000) + "}"),
    };
    for (byte[] body : bodies) {
      assertThat(rejection(body).reason())
          .startsWith("malformed JSON")
          .doesNotContain("`", "Source", "com.fasterxml", "REDACTED", "\u0001")
          .hasSizeLessThan(200);
    }
  }

  @Test
  void nestingOf64LevelsIsAccepted() {
    assertThat(parser.parse(nested(64)).alerts()).isEmpty();
  }

  @Test
  void nestingDeeperThan64LevelsIsRejected() {
    PayloadException e = rejection(nested(65));

    assertThat(e.field()).isEmpty();
    assertThat(e.reason()).isEqualTo("JSON nested deeper than 64 levels");
  }

  /** A valid empty payload whose deepest value sits {@code depth} containers down, counting the body. */
  private static byte[] nested(int depth) {
    int arrays = depth - 1;
    return json("{'version': '4', 'alerts': [], 'extra': " + "[".repeat(arrays) + "]".repeat(arrays) + "}");
  }

  private PayloadException rejection(byte[] body) {
    Throwable thrown = catchThrowable(() -> parser.parse(body));
    assertThat(thrown).isInstanceOf(PayloadException.class);
    return (PayloadException) thrown;
  }

  /** Found by the fuzzer: each name was cut, but a path through many nested objects was not. */
  @Test
  void duplicateKeyDeepInsideLongNamesKeepsTheMessageShort() {
    String name = "\u00e9".repeat(80);
    StringBuilder body = new StringBuilder("{\"version\":\"4\",\"alerts\":[{\"labels\":");
    int depth = 40;
    for (int i = 0; i < depth; i++) {
      body.append("{\"").append(name).append("\":");
    }
    body.append("{\"a\":1,\"a\":2}");
    body.append("}".repeat(depth)).append("}]}");

    PayloadException e = rejection(body.toString().getBytes(StandardCharsets.UTF_8));

    assertThat(e.reason()).isEqualTo("appears more than once in the same object");
    assertThat(e.getMessage()).hasSizeLessThanOrEqualTo(PayloadException.MAX_FIELD + 2 + e.reason().length());
    assertThat(e.field()).startsWith("alerts[0].labels[").contains("...").endsWith(".a");
  }
}
