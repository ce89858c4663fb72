package dev.remediator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The link hash is pinned byte for byte, against values computed with
 * {@code printf '%s%s' "$prev" "$canonical" | openssl dgst -sha256 [-hmac "$key"]}: changing it would
 * break every chain already sealed, and an auditor must be able to recompute it without remediator.
 */
class ChainKeyTest {
  private static final String CANONICAL = "{\"a\":\"ü\"}";

  @Test
  void aKeyedLinkIsHmacSha256OfThePreviousHashInHexAndTheCanonicalUtf8() {
    ChainKey key = ChainKey.of(Optional.of("k"));

    assertThat(key.mode()).isEqualTo(ChainKey.Mode.HMAC_SHA256);
    assertThat(key.link(ChainKey.GENESIS, CANONICAL))
        .isEqualTo("e6db8b69e6da4b58119c892e63ad70ad533063961f9e3b9df0021751a4a7cf75");
    assertThat(key.check()).isEqualTo("bd8d52eef84fa160000854a649eb6c9b65cd70f39d7426c0d8443c6e6cff2d76");
  }

  @Test
  void withoutAKeyALinkIsPlainSha256() {
    ChainKey key = ChainKey.of(Optional.empty());

    assertThat(key.mode()).isEqualTo(ChainKey.Mode.SHA256);
    assertThat(key.link(ChainKey.GENESIS, CANONICAL))
        .isEqualTo("7af63b95e0b36d52b4427817a18fe23b836b7367f37d6aaad1204471e7aa2bd7");
    assertThat(ChainKey.of(Optional.of("")).mode()).as("an empty key is no key").isEqualTo(ChainKey.Mode.SHA256);
  }

  @Test
  void differentKeysHaveDifferentChecks() {
    assertThat(ChainKey.of(Optional.of("k")).check()).isNotEqualTo(ChainKey.of(Optional.of("other")).check());
  }
}
