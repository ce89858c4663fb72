package dev.remediator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
}
