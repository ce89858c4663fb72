package dev.remediator.action.command;

import static dev.remediator.action.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.remediator.action.ActionResult;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandActionTest {
  private static final Target DEPLOYER = new Target("deployer", TargetKind.COMMAND, Map.of());
  private static final Map<String, String> SERVER_ENV = Map.of(
      "PATH", "/usr/bin:/bin", "HOME", "/var/lib/remediator", "LANG", "C.UTF-8",
      "REMEDIATOR_WEBHOOK_TOKEN", "s3cret", "APP_DB_URL", "jdbc:postgresql://db/app?password=hunter2");

  private final CommandAction action = new CommandAction(SERVER_ENV, Duration.ofMillis(200));

  @TempDir
  Path dir;

  private ActionResult run(String timeout, String... argv) throws InterruptedException {
    return action.execute(request(DEPLOYER, Map.of("argv", List.of(argv), "timeout", timeout)));
  }

  @Test
  void exitZeroSucceedsWithTheOutput() throws Exception {
    assertThat(run("10s", "/bin/echo", "restarted", "api"))
        .isEqualTo(new ActionResult.Succeeded("restarted api\n"));
  }

  @Test
  void commandRunsInTheTargetsWorkingDirectory() throws Exception {
    Target inDir = new Target("deployer", TargetKind.COMMAND, Map.of("working_dir", dir.toString()));

    ActionResult result = action.execute(request(inDir, Map.of("argv", List.of("/bin/pwd"))));

    assertThat(result).isEqualTo(new ActionResult.Succeeded(dir.toRealPath() + "\n"));
  }

  @Test
  void argumentsArriveLiterallyBecauseNoShellIsInvolved() throws Exception {
    List<String> hostile = List.of("two words", "a; rm -rf /", "$(id)", "`id`", "'single'", "\"double\"", "*", "$HOME");
    String[] argv = new String[hostile.size() + 2];
    argv[0] = "/usr/bin/printf";
    argv[1] = "%s\\n";
    for (int i = 0; i < hostile.size(); i++) {
      argv[i + 2] = hostile.get(i);
    }

    assertThat(run("10s", argv)).isEqualTo(new ActionResult.Succeeded(String.join("\n", hostile) + "\n"));
  }

  @Test
  void nonZeroExitIsPermanentWithStderrInTheReason() throws Exception {
    assertThat(run("10s", "/bin/sh", "-c", "echo starting; echo 'no such service: api' >&2; exit 2"))
        .isEqualTo(new ActionResult.Permanent("exited with status 2: starting\nno such service: api", null));
  }

  @Test
  void missingProgramIsPermanentWithTheReason() throws Exception {
    ActionResult result = run("10s", "/nonexistent/deploy-tool", "restart");

    assertThat(result).isInstanceOfSatisfying(ActionResult.Permanent.class, permanent -> {
      assertThat(permanent.reason())
          .isEqualTo("could not start /nonexistent/deploy-tool: error=2, No such file or directory");
      assertThat(permanent.cause()).isInstanceOf(IOException.class);
    });
  }

  @Test
  void stdinIsEmptySoReadersDoNotWait() throws Exception {
    assertThat(run("30s", "/bin/cat")).isEqualTo(new ActionResult.Succeeded(""));
  }

  @Test
  void chattyOutputIsDrainedAndOnlyTheFirst64KiBKept() throws Exception {
    ActionResult result = run("30s", "/bin/sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' x");

    assertThat(result).isEqualTo(new ActionResult.Succeeded(
        "x".repeat(65536) + "\n[output truncated: kept the first 65536 of 1000000 bytes]"));
  }

  @Test
  void environmentHoldsOnlyTheMinimalVariables() throws Exception {
    ActionResult result = run("10s", "/usr/bin/env");

    assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
    String output = ((ActionResult.Succeeded) result).output();
    assertThat(output.lines()).containsExactlyInAnyOrder(
        "HOME=/var/lib/remediator", "LANG=C.UTF-8", "PATH=/usr/bin:/bin");
  }

  @Test
  void serverEnvironmentIsNotPassedOn() throws Exception {
    CommandAction fromRealEnvironment = new CommandAction(System.getenv());

    ActionResult result = fromRealEnvironment.execute(
        request(DEPLOYER, Map.of("argv", List.of("/usr/bin/env"))));

    assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
    assertThat(((ActionResult.Succeeded) result).output().lines().map(line -> line.substring(0, line.indexOf('='))))
        .isSubsetOf(CommandAction.PASSED_ENVIRONMENT);
  }

  @Test
  void invalidParametersAtRunTimeArePermanent() throws Exception {
    assertThat(action.execute(request(DEPLOYER, Map.of("argv", "echo hi"))))
        .isEqualTo(new ActionResult.Permanent(
            "invalid parameters: argv must be a non-empty list of strings, but was \"echo hi\"", null));
  }

  @Test
  void timeoutKillsTheWholeProcessTree() throws Exception {
    ActionResult result = run("1s", "/bin/sh", "-c", "sleep 300 & echo $!; wait");

    long child = timedOutChildPid(result);
    await().atMost(Duration.ofSeconds(10)).until(() -> !isRunning(child));
  }

  @Test
  void timeoutKillsForciblyWhatIgnoresTermination() throws Exception {
    ActionResult result = run("1s", "/bin/sh", "-c", "trap '' TERM; sleep 300 & echo $!; wait");

    long child = timedOutChildPid(result);
    await().atMost(Duration.ofSeconds(10)).until(() -> !isRunning(child));
  }

  @Test
  void interruptionKillsTheProcessTreeAndPropagates() throws Exception {
    Path pidFile = dir.resolve("pid");
    FutureTask<ActionResult> task = new FutureTask<>(() -> run("1h", "/bin/sh", "-c",
        "sleep 300 & echo $! > '" + pidFile + "'; wait"));
    Thread runner = new Thread(task, "command-under-test");
    runner.start();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> Files.exists(pidFile) && Files.readString(pidFile).endsWith("\n"));
    long child = Long.parseLong(Files.readString(pidFile).strip());

    runner.interrupt();

    await().atMost(Duration.ofSeconds(10)).until(task::isDone);
    assertThat(catchCause(task)).isInstanceOf(InterruptedException.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> !isRunning(child));
  }

  private static long timedOutChildPid(ActionResult result) {
    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    String reason = ((ActionResult.Permanent) result).reason();
    Matcher matcher = Pattern.compile("timed out after 1s; killed process tree \\(2 processes\\): (\\d+)")
        .matcher(reason);
    assertThat(matcher.matches()).as("reason %s", reason).isTrue();
    return Long.parseLong(matcher.group(1));
  }

  private static Throwable catchCause(FutureTask<?> task) throws InterruptedException {
    try {
      task.get();
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  /** Alive and not a zombie waiting to be reaped. */
  private static boolean isRunning(long pid) throws IOException {
    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      Path stat = Path.of("/proc", Long.toString(pid), "stat");
      if (!Files.exists(stat)) {
        return false;
      }
      String text = Files.readString(stat);
      String[] afterName = text.substring(text.lastIndexOf(')') + 2).split(" ");
      return !Arrays.asList("Z", "X").contains(afterName[0]);
    }
    return false;
  }
}
