package dev.remediator.action.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisEndpointTest {
  @Test
  void defaultsToPort6379AndDbZero() {
    assertThat(RedisEndpoint.parse("redis://cache"))
        .isEqualTo(new RedisEndpoint(false, "cache", 6379, 0, Optional.empty(), Optional.empty()));
  }

  @Test
  void readsUserPasswordPortAndDb() {
    assertThat(RedisEndpoint.parse("rediss://app:p%40ss%2Fw+rd@redis.internal:6380/13")).isEqualTo(
        new RedisEndpoint(true, "redis.internal", 6380, 13, Optional.of("app"), Optional.of("p@ss/w+rd")));
  }

  @Test
  void passwordWithoutAUserAndAUserWithoutAPassword() {
    assertThat(RedisEndpoint.parse("redis://:s3cret@127.0.0.1/2"))
        .isEqualTo(new RedisEndpoint(false, "127.0.0.1", 6379, 2, Optional.empty(), Optional.of("s3cret")));
    assertThat(RedisEndpoint.parse("redis://app@127.0.0.1:6379"))
        .isEqualTo(new RedisEndpoint(false, "127.0.0.1", 6379, 0, Optional.of("app"), Optional.empty()));
  }

  @Test
  void readsBracketedIpv6HostsAndUnderscoredNames() {
    assertThat(RedisEndpoint.parse("redis://[::1]:6379/1").describe()).isEqualTo("[::1]:6379 db 1");
    assertThat(RedisEndpoint.parse("redis://redis_cache:6379/0").host()).isEqualTo("redis_cache");
  }

  @Test
  void describesItselfWithoutCredentials() {
    assertThat(RedisEndpoint.parse("redis://app:s3cret@cache:6379/4").describe()).isEqualTo("cache:6379 db 4");
  }

  @Test
  void errorsSayWhatIsWrongAndNeverRepeatTheUrl() {
    assertThatIllegalArgumentException().isThrownBy(() -> RedisEndpoint.parse("http://:s3cret@cache"))
        .withMessage("url must start with redis:// or rediss://");
    assertThatIllegalArgumentException().isThrownBy(() -> RedisEndpoint.parse("redis://:s3cret@cache:63a9"))
        .withMessage("url port must be a number, but was \"63a9\"");
    assertThatIllegalArgumentException().isThrownBy(() -> RedisEndpoint.parse("redis://:s3cret@cache/x"))
        .withMessage("url db (the path) must be a number, but was \"x\"");
    assertThatIllegalArgumentException().isThrownBy(() -> RedisEndpoint.parse("redis://:s3cret@:6379"))
        .withMessage("url must name a host");
    assertThatIllegalArgumentException().isThrownBy(() -> RedisEndpoint.parse("redis://:s3#cret@cache"))
        .withMessage("url must not have a query or fragment (percent-encode ? and # in a password)");
    assertThatIllegalArgumentException().isThrownBy(() -> RedisEndpoint.parse("redis://cache:0"))
        .withMessage("url port must be between 1 and 65535, but was 0");
  }
}
