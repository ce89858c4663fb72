package dev.remediator.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How links of the audit chain are hashed: HMAC-SHA256 under REMEDIATOR_AUDIT_KEY, or plain
 * SHA-256 when no key is configured (which proves order and completeness but not authorship: anyone
 * who can write the store can recompute it). A link's hash covers the previous link's hash, as
 * lower-case hex, followed by the event's canonical UTF-8 bytes, so it can be recomputed with
 * {@code printf '%s%s' "$prev" "$canonical" | openssl dgst -sha256 -hmac "$key"}.
 */
public final class ChainKey {
  /** The previous hash of the first link of a chain that has never been cut by retention. */
  public static final String GENESIS = "0".repeat(64);
  private static final byte[] CHECK_TEXT = "remediator audit chain key check".getBytes(StandardCharsets.UTF_8);
  private static final HexFormat HEX = HexFormat.of();

  /** The wire names kept in {@code audit_chain.mode}. */
  public enum Mode {
    HMAC_SHA256("hmac-sha256"), SHA256("sha256");

    private final String wireName;

    Mode(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  private final Mode mode;
  private final SecretKeySpec key;
  /** Looking the algorithm up costs more than hashing a link, so each thread keeps its own instance. */
  private final ThreadLocal<Mac> mac;
  private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw missing(e);
    }
  });

  private ChainKey(Mode mode, SecretKeySpec key) {
    this.mode = mode;
    this.key = key;
    this.mac = ThreadLocal.withInitial(() -> {
      try {
        Mac instance = Mac.getInstance("HmacSHA256");
        instance.init(key);
        return instance;
      } catch (GeneralSecurityException e) {
        throw missing(e);
      }
    });
  }

  /** HMAC-SHA256 under {@code secret} when present, plain SHA-256 otherwise. */
  public static ChainKey of(Optional<String> secret) {
    return secret.filter(s -> !s.isEmpty())
        .map(s -> new ChainKey(Mode.HMAC_SHA256, new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), "HmacSHA256")))
        .orElseGet(() -> new ChainKey(Mode.SHA256, null));
  }

  public Mode mode() {
    return mode;
  }

  /** The hash of the link that follows {@code prevHash} and seals {@code canonical}. */
  public String link(String prevHash, String canonical) {
    return digest(prevHash.getBytes(StandardCharsets.US_ASCII), canonical.getBytes(StandardCharsets.UTF_8));
  }

  /** A value that tells keys apart without revealing them: the hash of a fixed text. */
  public String check() {
    return digest(CHECK_TEXT);
  }

  private String digest(byte[]... parts) {
    if (mode == Mode.SHA256) {
      MessageDigest sha = sha256.get();
      for (byte[] part : parts) {
        sha.update(part);
      }
      return HEX.formatHex(sha.digest());
    }
    Mac hmac = mac.get();
    for (byte[] part : parts) {
      hmac.update(part);
    }
    return HEX.formatHex(hmac.doFinal());
  }

  private static IllegalStateException missing(GeneralSecurityException e) {
    return new IllegalStateException("the JVM lacks SHA-256 or HmacSHA256, which every Java 17 runtime has", e);
  }
}
