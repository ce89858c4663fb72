package dev.remediator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool from a Debian package that tests check shipped files with ({@code promtool},
 * {@code amtool}): found on the PATH or in /usr/bin, run without a shell and with no input, and
 * bounded by a timeout. A missing tool fails the test, naming the package to install, rather than
 * skipping it.
 */
public final class DebianTool {
  /** One run: the command line, its exit code and what it printed on each stream. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public String output() {
      return stdout + stderr;
    }
  }

  private final Path binary;
  private final Duration timeout;

  private DebianTool(Path binary, Duration timeout) {
    this.binary = binary;
    this.timeout = timeout;
  }

  /**
   * The tool {@code name} from {@code debianPackage}; fails the test if it is not installed,
   * saying what it was needed for ({@code purpose}).
   */
  public static DebianTool require(String name, String debianPackage, String purpose, Duration timeout) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    List<String> dirs = new ArrayList<>(Arrays.asList(path.split(File.pathSeparator)));
    dirs.add("/usr/bin");
    Path binary = dirs.stream()
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
        .findFirst()
        .orElseGet(() -> fail("%s is not installed (looked on the PATH %s and in /usr/bin): install the Debian "
            + "package %s (.ci/run installs it) %s", name, path, debianPackage, purpose));
    return new DebianTool(binary, timeout);
  }

  public Result run(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(args);
    Path out = Files.createTempFile(binary.getFileName().toString(), ".out");
    Path err = Files.createTempFile(binary.getFileName().toString(), ".err");
    try {
      Process process = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        fail("%s did not finish within %d s; its output:%n%s%s", String.join(" ", command), timeout.toSeconds(),
            Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Runs the tool and fails the test, with its output, unless it exits 0. */
  public Result assertSucceeds(String... args) throws IOException, InterruptedException {
    Result result = run(List.of(args));
    assertThat(result.exitCode())
        .as("%s exited with %d; its output:%n%s", String.join(" ", result.command()), result.exitCode(),
            result.output())
        .isZero();
    return result;
  }
}
