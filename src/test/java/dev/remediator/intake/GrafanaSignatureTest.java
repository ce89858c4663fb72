package dev.remediator.intake;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remediator.http.ApiException;
import dev.remediator.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class GrafanaSignatureTest {
  private static final Instant NOW = Instant.parse("2026-11-24T06:00:00Z");
  private final MutableClock clock = MutableClock.at(NOW);
  private final GrafanaSignature signature = new GrafanaSignature("s3cret", clock);
  private final byte[] body = "{\"version\":\"1\"}".getBytes(StandardCharsets.UTF_8);
  private final String ts = String.valueOf(NOW.getEpochSecond());

  @Test
  void theKnownHmacOfTimestampColonBodyIsAccepted() {
    // printf '%s:{"version":"1"}' "$(date -d 2026-11-24T06:00:00Z +%s)" | openssl dgst -sha256 -hmac s3cret
    String hex = "5c71f632498df61bd7e78cbd5e79c8d21ddd83605c729a0f424efa5c2758d9a6";

    assertThatCode(() -> signature.verify(body, hex, ts)).doesNotThrowAnyException();
    assertThatCode(() -> signature.verify(body, hex.toUpperCase(), " " + ts + " ")).doesNotThrowAnyException();
  }

  @Test
  void aTimestampOutsideFiveMinutesIsRefusedEitherWay() {
    String hex = HexFormat.of().formatHex(signature.sign(ts, body));
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));

    assertThatThrownBy(() -> signature.verify(body, hex, ts)).isInstanceOf(ApiException.class)
        .hasMessageContaining("stale or replayed");
    String future = String.valueOf(NOW.plusSeconds(3600).getEpochSecond());
    assertThatThrownBy(() -> signature.verify(body, HexFormat.of().formatHex(signature.sign(future, body)), future))
        .hasMessageContaining("stale or replayed");
  }

  @Test
  void aSignatureOfAnotherBodyTimestampOrSecretIsRefused() {
    String hex = HexFormat.of().formatHex(signature.sign(ts, body));
    String other = String.valueOf(NOW.getEpochSecond() + 1);
    GrafanaSignature wrongSecret = new GrafanaSignature("other", clock);

    assertThatThrownBy(() -> signature.verify("{}".getBytes(StandardCharsets.UTF_8), hex, ts))
        .hasMessageContaining("does not match the body");
    assertThatThrownBy(() -> signature.verify(body, hex, other)).hasMessageContaining("does not match the body");
    assertThatThrownBy(() -> wrongSecret.verify(body, hex, ts)).hasMessageContaining("does not match the body");
    assertThatThrownBy(() -> signature.verify(body, hex, "yesterday")).hasMessageContaining("not Unix seconds");
  }
}
