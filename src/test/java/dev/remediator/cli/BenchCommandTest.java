package dev.remediator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code remediator bench}'s flags and exit statuses; the load itself is in BenchEndToEndTest. */
class BenchCommandTest {
  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int bench(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "bench";
    System.arraycopy(args, 0, all, 1, args.length);
    return Main.commandLine(Map.of()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
  }

  private String firstErrorLine() {
    return err.toString().lines().findFirst().orElse("");
  }

  @Test
  void aNegativeRateIsAUsageError() {
    assertThat(bench("--rate", "-5")).isEqualTo(2);
    assertThat(firstErrorLine())
        .isEqualTo("remediator bench: --rate must be a positive number of notifications per second, but was -5.0");
    assertThat(err.toString()).contains("Usage: remediator bench");
  }

  @Test
  void rateAndConnectionsTogetherAreAUsageError() {
    assertThat(bench("--rate", "10", "--connections", "4")).isEqualTo(2);
    assertThat(firstErrorLine())
        .isEqualTo("remediator bench: give --rate (open model) or --connections (closed model), not both");
  }

  @Test
  void neitherRateNorConnectionsIsAUsageError() {
    assertThat(bench()).isEqualTo(2);
    assertThat(firstErrorLine())
        .isEqualTo("remediator bench: give --rate R (open model) or --connections C (closed model)");
  }

  @Test
  void referenceWithoutADatabaseIsAUsageError() {
    assertThat(bench("--connections", "4", "--reference")).isEqualTo(2);
    assertThat(firstErrorLine()).startsWith("remediator bench: --reference needs --database-url: ");
  }

  @Test
  void zeroConnectionsAreAUsageError() {
    assertThat(bench("--connections", "0")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("remediator bench: --connections must be between 1 and 1024, but was 0");
  }

  @Test
  void aBadDurationNamesItsFlag() {
    assertThat(bench("--rate", "10", "--duration", "soon")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo(
        "remediator bench: --duration: not a valid duration string: \"soon\" (use e.g. 90s, 15m, 1h30m)");
  }

  @Test
  void aZeroDurationIsAUsageError() {
    assertThat(bench("--rate", "10", "--duration", "0")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("remediator bench: --duration must be longer than 0, but was PT0S");
  }

  @Test
  void aPoolSmallerThanANotificationIsAUsageError() {
    assertThat(bench("--rate", "10", "--alerts-per-notification", "5", "--distinct", "3")).isEqualTo(2);
    assertThat(firstErrorLine())
        .startsWith("remediator bench: --distinct must be at least --alerts-per-notification (5)");
  }

  @Test
  void tooManyAlertsPerNotificationAreAUsageError() {
    assertThat(bench("--rate", "10", "--alerts-per-notification", "1001")).isEqualTo(2);
    assertThat(firstErrorLine())
        .isEqualTo("remediator bench: --alerts-per-notification must be between 1 and 1000, but was 1001");
  }

  @Test
  void aDatabaseUrlThatIsNotJdbcIsAUsageError() {
    assertThat(bench("--rate", "10", "--database-url", "postgres://db/x")).isEqualTo(2);
    assertThat(firstErrorLine())
        .isEqualTo("remediator bench: --database-url must start with jdbc:postgresql: or jdbc:sqlite:");
  }

  @Test
  void aTokenAndATokenFileTogetherAreAUsageError() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "s3cret\n");

    assertThat(bench("--rate", "10", "--token", "a", "--token-file", file.toString())).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("remediator bench: give --token or --token-file, not both");
  }

  @Test
  void aMissingTokenFileIsAUsageError() {
    Path missing = dir.resolve("nope");

    assertThat(bench("--rate", "10", "--token-file", missing.toString())).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("remediator bench: cannot read --token-file " + missing + ": no such file");
  }

  @Test
  void aUrlThatIsNotHttpIsAUsageError() {
    assertThat(bench("--rate", "10", "--url", "ftp://x/webhook")).isEqualTo(2);
    assertThat(firstErrorLine())
        .isEqualTo("remediator bench: --url must be an http:// or https:// URL, but was \"ftp://x/webhook\"");
  }

  @Test
  void aTargetThatCannotBeReachedExits1WithoutALoad() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    int status = bench("--rate", "10", "--duration", "1h", "--url", "http://127.0.0.1:" + port + "/webhook");

    assertThat(status).isEqualTo(1);
    assertThat(err.toString()).contains("remediator bench: cannot reach http://127.0.0.1:" + port
        + "/webhook: connection refused");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void helpListsEveryFlagAndTheExitStatuses() {
    assertThat(bench("--help")).isZero();
    assertThat(out.toString()).contains("--url", "--token", "--token-file", "--rate", "--connections", "--duration",
        "--warmup", "--alerts-per-notification", "--distinct", "--database-url", "--settle", "--reference", "--json",
        "Exit status:");
  }
}
