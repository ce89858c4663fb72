package dev.remediator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remediator.cli.Main;
import dev.remediator.store.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that cannot start says why in one line and leaves nothing running. */
class StartupFailureTest {
  @TempDir
  Path dir;

  private Path rules() throws IOException {
    return Files.writeString(dir.resolve("remediation.yml"), "rules: []\n");
  }

  private ServeConfig config(int port, String databaseUrl) throws IOException {
    return new ServeConfig("127.0.0.1", port, rules(), Optional.of(databaseUrl), Optional.empty(), Optional.empty(),
        false, 2, Clock.systemUTC());
  }

  private String sqlite() {
    return Database.sqliteUrl(dir.resolve("store").resolve("remediator.db").toAbsolutePath());
  }

  /** Threads that would keep the process alive or belong to the server: non-daemon or named remediator-*. */
  private static Set<String> lingering() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> !t.isDaemon() || t.getName().startsWith("remediator") || t.getName().startsWith("qtp")
            || t.getName().startsWith("JettyServerThreadPool"))
        .map(t -> t.getName() + "#" + t.getId())
        .collect(Collectors.toSet());
  }

  private static void awaitNoneBeyond(Set<String> before) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline && !before.containsAll(lingering())) {
      Thread.sleep(50);
    }
    assertThat(lingering()).isSubsetOf(before);
  }

  @Test
  void aPortInUseIsOneLineAndStopsEverythingThatStarted() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Set<String> before = lingering();

      assertThatThrownBy(() -> RemediatorApp.start(config(taken.getLocalPort(), sqlite()), Map.of()))
          .isInstanceOf(StartupException.class)
          .hasMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use");

      awaitNoneBeyond(before);
    }
  }

  @Test
  void aDatabaseUrlThatIsNotJdbcIsOneLineAndStartsNothing() throws Exception {
    Set<String> before = lingering();

    assertThatThrownBy(() -> RemediatorApp.start(config(0, "postgres://db:5432/remediator"), Map.of()))
        .isInstanceOf(StartupException.class)
        .hasMessage("REMEDIATOR_DATABASE_URL must start with jdbc:postgresql: or jdbc:sqlite:, but was "
            + "postgres://db:5432/remediator");

    awaitNoneBeyond(before);
  }

  @Test
  void serveExitsNonZeroWithOneLineAndNoStackTrace() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      StringWriter err = new StringWriter();
      int status = Main.commandLine(Map.of()).setErr(new PrintWriter(err))
          .execute("serve", "--listen", "127.0.0.1:" + taken.getLocalPort(), "--rules", rules().toString(),
              "--database-url", sqlite());

      assertThat(status).isEqualTo(1);
      assertThat(err.toString()).isEqualTo("remediator: cannot listen on 127.0.0.1:" + taken.getLocalPort()
          + ": address already in use" + System.lineSeparator());
    }
  }

  @Test
  void serveReportsANonJdbcUrlFromAFileInOneLine() throws Exception {
    Path url = Files.writeString(dir.resolve("database-url"), "postgres://db/remediator\n");
    StringWriter err = new StringWriter();
    int status = Main.commandLine(Map.of("REMEDIATOR_DATABASE_URL_FILE", url.toString())).setErr(new PrintWriter(err))
        .execute("serve", "--listen", "127.0.0.1:0", "--rules", rules().toString());

    assertThat(status).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("remediator: REMEDIATOR_DATABASE_URL must start with jdbc:postgresql: "
        + "or jdbc:sqlite:, but was postgres://db/remediator" + System.lineSeparator());
  }
}
