package dev.remediator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void urlCredentialsAreMasked() {
    assertThat(Redaction.url("redis://cache:s3cret@10.0.0.5:6379/2")).isEqualTo("redis://cache:***@10.0.0.5:6379/2");
    assertThat(Redaction.url("rediss://:s3cret@cache:6380/0")).isEqualTo("rediss://:***@cache:6380/0");
    assertThat(Redaction.url("jdbc:postgresql://db/app?user=ops&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/app?user=ops&password=***&ssl=true");
    assertThat(Redaction.url("https://admin.internal/api")).isEqualTo("https://admin.internal/api");
  }

  @Test
  void knownSecretValuesAreMaskedWherever() {
    assertThat(Redaction.secrets("401 for token abc123 (abc123)", List.of("abc123", "")))
        .isEqualTo("401 for token *** (***)");
    assertThat(Redaction.secrets("nothing secret", List.of())).isEqualTo("nothing secret");
  }

  @Test
  void structuresKeepTheirShapeWithSecretKeysAndUrlCredentialsMasked() {
    Object masked = Redaction.structure(Map.of(
        "namespace", "prod",
        "headers", Map.of("Authorization", "Bearer abc", "X-Request", "r1"),
        "api_token", "abc123",
        "urls", List.of("https://ops:pw@admin.internal/api", "https://admin.internal/ok"),
        "max", 50));

    assertThat(masked).isEqualTo(Map.of(
        "namespace", "prod",
        "headers", Map.of("Authorization", "***", "X-Request", "r1"),
        "api_token", "***",
        "urls", List.of("https://ops:***@admin.internal/api", "https://admin.internal/ok"),
        "max", 50));
  }
}
