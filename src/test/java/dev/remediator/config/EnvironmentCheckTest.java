package dev.remediator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnvironmentCheckTest {
  private static final Set<String> KNOWN = Set.of("REMEDIATOR_DATABASE_URL", "REMEDIATOR_DATABASE_URL_FILE",
      "REMEDIATOR_WORKERS");

  @Test
  void namesEachUnknownVariableWithTheClosestKnownOne() {
    assertThat(EnvironmentCheck.unknownVariables(Map.of(
        "REMEDIATOR_DATABSE_URL", "jdbc:postgresql://db/r",
        "REMEDIATOR_WORKERS", "4",
        "REMEDIATOR_COLOUR", "blue",
        "PATH", "/usr/bin"), KNOWN))
        .containsExactly(
            "unknown environment variable REMEDIATOR_COLOUR is ignored",
            "unknown environment variable REMEDIATOR_DATABSE_URL is ignored; did you mean REMEDIATOR_DATABASE_URL?");
  }
}
