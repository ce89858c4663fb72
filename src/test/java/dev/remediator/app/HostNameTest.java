package dev.remediator.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostNameTest {
  @TempDir
  Path dir;

  @Test
  void anExportedHostnameWins() {
    assertThat(HostName.of(Map.of("HOSTNAME", "pod-7"), () -> Optional.of("resolver"), dir.resolve("none")))
        .isEqualTo("pod-7");
  }

  @Test
  void withoutHostnameTheResolverNamesTheMachine() {
    assertThat(HostName.of(Map.of(), () -> Optional.of("node-3"), dir.resolve("none"))).isEqualTo("node-3");
  }

  @Test
  void withoutEitherEtcHostnameNamesIt() throws Exception {
    Path file = Files.writeString(dir.resolve("hostname"), "box-9\n");
    assertThat(HostName.of(Map.of(), Optional::empty, file)).isEqualTo("box-9");
  }

  @Test
  void theRealMachineHasANameWithoutHostnameExported() {
    assertThat(RemediatorApp.workerId(Map.of())).doesNotStartWith("localhost/").matches(".+/\\d+");
  }
}
