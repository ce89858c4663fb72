package dev.remediator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenAuthTest {
  private final TokenAuth bearer = new TokenAuth(Optional.of("s3cret-token"));
  private final TokenAuth basic = new TokenAuth(Optional.of("alertmanager:pa:ss"));

  @Test
  void withoutSecretEveryRequestIsPermitted() {
    TokenAuth open = new TokenAuth(Optional.empty());

    assertThat(open.isOpen()).isTrue();
    assertThat(open.permits(null)).isTrue();
    assertThat(open.permits("Bearer anything")).isTrue();
    assertThat(open.permits("garbage")).isTrue();
  }

  @Test
  void withSecretTheWebhookIsNotOpen() {
    assertThat(bearer.isOpen()).isFalse();
    assertThat(basic.isOpen()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer s3cret-token", "bearer s3cret-token", "BEARER s3cret-token", "  Bearer   s3cret-token  "})
  void matchingBearerTokenIsPermittedWhateverTheSchemeCase(String header) {
    assertThat(bearer.permits(header)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer s3cret-toke", "Bearer s3cret-token2", "Bearer S3CRET-TOKEN", "Bearer x"})
  void wrongBearerTokenIsRefused(String header) {
    assertThat(bearer.permits(header)).isFalse();
  }

  @Test
  void missingHeaderIsRefused() {
    assertThat(bearer.permits(null)).isFalse();
    assertThat(basic.permits(null)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "Bearer", "Bearer ", "s3cret-token", "Token s3cret-token", "Bearers3cret-token",
      "Digest s3cret-token"})
  void malformedHeaderIsRefused(String header) {
    assertThat(bearer.permits(header)).isFalse();
  }

  @Test
  void matchingBasicCredentialsArePermittedWhateverTheSchemeCase() {
    assertThat(basic.permits("Basic " + base64("alertmanager:pa:ss"))).isTrue();
    assertThat(basic.permits("basic " + base64("alertmanager:pa:ss"))).isTrue();
  }

  @Test
  void wrongBasicCredentialsAreRefused() {
    assertThat(basic.permits("Basic " + base64("alertmanager:pa"))).isFalse();
    assertThat(basic.permits("Basic " + base64("someone:pa:ss"))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Basic !!!", "Basic YWxlcnRtYW5hZ2Vy=OnBh", "Basic %%%%", "Basic"})
  void basicCredentialsThatAreNotBase64AreRefused(String header) {
    assertThat(basic.permits(header)).isFalse();
  }

  @Test
  void userPasswordSecretIsAlsoAcceptedAsBearerToken() {
    assertThat(basic.permits("Bearer alertmanager:pa:ss")).isTrue();
  }

  @Test
  void basicAuthIsRefusedWhenTheSecretIsABearerToken() {
    assertThat(bearer.permits("Basic " + base64("s3cret-token"))).isFalse();
  }

  @Test
  void emptySecretIsRejected() {
    assertThatThrownBy(() -> new TokenAuth(Optional.of("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("webhook secret must not be empty; leave it unset to accept every request");
  }

  @Test
  void descriptionDoesNotRevealTheSecret() {
    assertThat(bearer).hasToString("TokenAuth[bearer]");
    assertThat(basic).hasToString("TokenAuth[basic or bearer]");
    assertThat(new TokenAuth(Optional.empty())).hasToString("TokenAuth[open]");
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
