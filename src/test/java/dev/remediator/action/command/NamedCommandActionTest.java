package dev.remediator.action.command;

import static dev.remediator.action.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.action.ActionResult;
import dev.remediator.rules.ActionSpec.ParamProblem;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamedCommandActionTest {
  private static final Map<String, String> SERVER_ENV = Map.of("PATH", "/usr/bin:/bin", "REMEDIATOR_WEBHOOK_TOKEN", "s3cret");

  @TempDir
  Path dir;

  private final NamedCommandAction restart = action(NamedCommandModule.restart());
  private final NamedCommandAction rollback = action(NamedCommandModule.rollback());

  private static NamedCommandAction action(NamedCommandModule module) {
    return new NamedCommandAction((NamedCommandSpec) module.spec(), SERVER_ENV, Duration.ofMillis(200));
  }

  private Target deployer() {
    return new Target("deployer", TargetKind.COMMAND, Map.of("working_dir", dir.toString()));
  }

  @Test
  void restartRunsItsArgvAndRecordsExitStatusAndOutput() throws Exception {
    ActionResult result = restart.execute(request(deployer(),
        Map.of("argv", List.of("/bin/echo", "restarted", "app"), "timeout", "10s")));

    assertThat(result).isEqualTo(new ActionResult.Succeeded("restarted app\n",
        ordered("exit_status", 0, "output", "restarted app")));
  }

  @Test
  void rollbackRunsAScriptInTheTargetsWorkingDirectoryWithTheRenderedVersion() throws Exception {
    Path script = dir.resolve("rollback.sh");
    Files.writeString(script, """
        #!/bin/sh
        echo "$1" > deployed-version
        echo "rolled back to $1"
        """);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

    ActionResult result = rollback.execute(request(deployer(), Map.of("argv", List.of("./rollback.sh", "v1.0.0"))));

    assertThat(result).isEqualTo(new ActionResult.Succeeded("rolled back to v1.0.0\n",
        ordered("exit_status", 0, "output", "rolled back to v1.0.0")));
    assertThat(Files.readString(dir.resolve("deployed-version"))).isEqualTo("v1.0.0\n");
  }

  @Test
  void failingRestartIsPermanentWithItsStatusAndOutputAsFacts() throws Exception {
    ActionResult result = restart.execute(request(deployer(),
        Map.of("argv", List.of("/bin/sh", "-c", "echo 'Unit app.service not found.' >&2; exit 5"))));

    assertThat(result).isEqualTo(new ActionResult.Permanent(
        "restart exited with status 5: Unit app.service not found.", null,
        ordered("exit_status", 5, "output", "Unit app.service not found.")));
  }

  @Test
  void timedOutRollbackIsPermanentAndSaysSo() throws Exception {
    ActionResult result = rollback.execute(request(deployer(),
        Map.of("argv", List.of("/bin/sh", "-c", "echo rolling back; exec sleep 300"), "timeout", "1s")));

    assertThat(result).isEqualTo(new ActionResult.Permanent(
        "rollback timed out after 1s; killed process tree (1 process): rolling back", null,
        ordered("timed_out", true, "killed_processes", 1, "output", "rolling back")));
  }

  @Test
  void missingProgramIsPermanentNamingTheAction() throws Exception {
    ActionResult result = restart.execute(request(deployer(), Map.of("argv", List.of("/nonexistent/systemctl"))));

    assertThat(result.message())
        .isEqualTo("restart could not start /nonexistent/systemctl: error=2, No such file or directory");
    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
  }

  @Test
  void specsTakeArgvAndTimeoutUnderTheirOwnNames() {
    NamedCommandSpec spec = (NamedCommandSpec) NamedCommandModule.rollback().spec();

    assertThat(spec.name()).isEqualTo("rollback");
    assertThat(spec.targetKinds()).containsExactly(TargetKind.COMMAND);
    assertThat(spec.strictTemplates()).isTrue();
    assertThat(spec.validate(Map.of("argv", List.of("./scripts/rollback.sh", "{{ annotations.previous_version }}"),
        "timeout", "2m"))).isEmpty();
    assertThat(spec.validate(Map.of("args", List.of("x"), "timeout", 60))).containsExactly(
        new ParamProblem("args", "is not a parameter of rollback (known: argv, timeout)"),
        new ParamProblem("argv", "must be a non-empty list of strings"),
        new ParamProblem("timeout", "must be a duration such as 60s, but was 60"));
  }

  static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
