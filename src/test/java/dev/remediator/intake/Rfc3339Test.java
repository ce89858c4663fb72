package dev.remediator.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {
  @ParameterizedTest
  @CsvSource({
      "2026-11-22T10:00:00Z,                     2026-11-22T10:00:00Z",
      "2026-11-22T10:00:00.000Z,                 2026-11-22T10:00:00Z",
      "2026-11-22T10:00:00.5Z,                   2026-11-22T10:00:00.500Z",
      "2026-11-22T10:00:00.123456789Z,           2026-11-22T10:00:00.123456789Z",
      "2026-11-22T11:00:00+01:00,                2026-11-22T10:00:00Z",
      "2026-11-22T04:30:00.25-05:30,             2026-11-22T10:00:00.250Z",
      "2026-11-22t10:00:00z,                     2026-11-22T10:00:00Z",
      "2024-02-29T23:59:59Z,                     2024-02-29T23:59:59Z",
      "0001-01-01T00:00:00Z,                     0001-01-01T00:00:00Z",
  })
  void alertmanagerTimestampFormsParseToTheSameInstant(String text, String expected) {
    assertThat(Rfc3339.parse(text)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "yesterday", "2026-11-22", "2026-11-22T10:00Z", "2026-11-22T10:00:00", "2026-11-22 10:00:00Z",
      "2026-11-22T10:00:00.Z", "2026-11-22T10:00:00.1234567890Z", "2026-13-01T10:00:00Z",
      "2026-02-29T10:00:00Z", "2026-11-31T10:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T10:60:00Z",
      "2026-11-22T10:00:60Z", "2026-11-22T10:00:00+0100", "2026-11-22T10:00:00+24:00",
      "2026-11-22T10:00:00+01:60", "2026-11-22T10:00:00ZZ", "+2026-11-22T10:00:00Z", "2026-1a-22T10:00:00Z",
      "2026-11-22T10:00:00+01:00:00", "2026-11-00T10:00:00Z",
  })
  void textThatIsNotAnRfc3339DateTimeIsRejected(String text) {
    assertThat(Rfc3339.parse(text)).isNull();
  }

  @Test
  void zeroTimeIsGosZeroTime() {
    assertThat(Rfc3339.ZERO_TIME).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
  }
}
