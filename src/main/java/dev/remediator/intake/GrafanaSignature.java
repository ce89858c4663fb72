package dev.remediator.intake;

import dev.remediator.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the HMAC-SHA256 signature of Grafana's webhook contact point: the lowercase hex
 * HMAC, under the shared secret, of {@code timestamp + ":" + body}, where the timestamp (Unix
 * seconds) travels in its own header. A timestamp more than {@link #MAX_SKEW} from now is
 * refused, so a captured request cannot be replayed later. Comparison is constant-time.
 */
public final class GrafanaSignature {
  public static final String SIGNATURE_HEADER = "X-Grafana-Alerting-Signature";
  public static final String TIMESTAMP_HEADER = "X-Grafana-Alerting-Signature-Timestamp";
  public static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private final byte[] secret;
  private final Clock clock;

  public GrafanaSignature(String secret, Clock clock) {
    Objects.requireNonNull(secret, "secret");
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("the Grafana HMAC secret is empty");
    }
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Throws a 401 {@link ApiException} saying what is wrong unless {@code signature} signs {@code body} at {@code timestamp}. */
  public void verify(byte[] body, String signature, String timestamp) {
    if (signature == null || signature.isBlank()) {
      throw unauthorized("the " + SIGNATURE_HEADER + " header is missing");
    }
    if (timestamp == null || timestamp.isBlank()) {
      throw unauthorized("the " + TIMESTAMP_HEADER + " header is missing (set it as the contact point's timestamp header)");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      throw unauthorized("the " + TIMESTAMP_HEADER + " header is not Unix seconds");
    }
    Duration skew = Duration.between(Instant.ofEpochSecond(seconds), clock.instant()).abs();
    if (skew.compareTo(MAX_SKEW) > 0) {
      throw unauthorized("the signature's timestamp is " + skew.toSeconds() + " s from now (at most "
          + MAX_SKEW.toSeconds() + " s): stale or replayed");
    }
    byte[] expected = HexFormat.of().formatHex(sign(timestamp.strip(), body)).getBytes(StandardCharsets.US_ASCII);
    byte[] given = signature.strip().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, given)) {
      throw unauthorized("the " + SIGNATURE_HEADER + " does not match the body");
    }
  }

  /** The raw HMAC of {@code timestamp:body}. */
  byte[] sign(String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((timestamp + ":").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static ApiException unauthorized(String reason) {
    return new ApiException(401, reason);
  }
}
