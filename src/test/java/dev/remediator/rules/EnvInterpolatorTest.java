package dev.remediator.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvInterpolatorTest {
  private final EnvInterpolator env = new EnvInterpolator(Map.of(
      "SLACK_WEBHOOK_URL", "https://hooks.example/T1", "EMPTY", ""));

  @Test
  void expandsSetVariables() {
    assertThat(env.interpolate("url: ${SLACK_WEBHOOK_URL}/x")).isEqualTo("url: https://hooks.example/T1/x");
  }

  @Test
  void usesDefaultWhenUnsetOrEmpty() {
    assertThat(env.interpolate("${MISSING:-http://127.0.0.1:9}")).isEqualTo("http://127.0.0.1:9");
    assertThat(env.interpolate("${EMPTY:-fallback}")).isEqualTo("fallback");
    assertThat(env.interpolate("${SLACK_WEBHOOK_URL:-unused}")).isEqualTo("https://hooks.example/T1");
    assertThat(env.interpolate("${MISSING:-}")).isEmpty();
  }

  @Test
  void setButEmptyVariableWithoutDefaultIsEmpty() {
    assertThat(env.interpolate("[${EMPTY}]")).isEqualTo("[]");
  }

  @Test
  void doubleDollarIsALiteralDollar() {
    assertThat(env.interpolate("price: $$5, not $${SLACK_WEBHOOK_URL}")).isEqualTo("price: $5, not ${SLACK_WEBHOOK_URL}");
  }

  @Test
  void loneDollarStaysAsItIs() {
    assertThat(env.interpolate("^api$")).isEqualTo("^api$");
    assertThat(env.interpolate("$HOME")).isEqualTo("$HOME");
  }

  @Test
  void unsetVariableWithoutDefaultIsAnError() {
    assertThatIllegalArgumentException().isThrownBy(() -> env.interpolate("${MISSING}"))
        .withMessage("environment variable MISSING is not set");
  }

  @Test
  void unterminatedReferenceIsAnError() {
    assertThatIllegalArgumentException().isThrownBy(() -> env.interpolate("${MISSING"))
        .withMessage("unterminated \"${\" in \"${MISSING\"");
  }

  @Test
  void invalidVariableNameIsAnError() {
    assertThatIllegalArgumentException().isThrownBy(() -> env.interpolate("${1A}"))
        .withMessage("invalid environment variable name \"1A\" in \"${1A}\"");
  }
}
