package dev.remediator.action.command;

import static dev.remediator.action.Requests.request;
import static dev.remediator.action.command.NamedCommandActionTest.ordered;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.action.Action;
import dev.remediator.action.ActionResult;
import dev.remediator.action.SharedClients;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScaleCommandActionTest {
  private final ScaleCommandAction action = new ScaleCommandAction(Map.of("PATH", "/usr/bin:/bin"), Duration.ofMillis(200));

  @TempDir
  Path dir;

  private Target deployer;

  /**
   * A stand-in for {@code docker compose}: {@code ./compose up worker=N} keeps N in a
   * state file and {@code ./compose replicas} prints it, with a warning on stderr.
   */
  @BeforeEach
  void writeComposeScript() throws Exception {
    Path script = dir.resolve("compose");
    Files.writeString(script, """
        #!/bin/sh
        case "$1" in
          replicas) echo "WARN: compose file version is obsolete" >&2; cat replicas ;;
          up) echo "$2" | cut -d= -f2 > replicas; echo "scaled $2" ;;
          *) echo "unknown command $1" >&2; exit 2 ;;
        esac
        """);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    deployer = new Target("deployer", TargetKind.COMMAND, Map.of("working_dir", dir.toString()));
  }

  private ActionResult scale(Object... keysAndValues) throws InterruptedException {
    Map<String, Object> params = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      params.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return action.execute(request(deployer, params));
  }

  private int replicasOnDisk() throws Exception {
    return Integer.parseInt(Files.readString(dir.resolve("replicas")).strip());
  }

  @Test
  void factorFromTheRenderedCurrentCountIsSubstitutedIntoArgv() throws Exception {
    ActionResult result = scale("argv", List.of("/bin/echo", "--scale", "worker={replicas}"),
        "current", "3", "factor", 2, "max_replicas", 10);

    assertThat(result).isEqualTo(new ActionResult.Succeeded("scaled from 3 to 6 replicas (x2)\n--scale worker=6\n",
        ordered("replicas_before", 3, "replicas_after", 6, "exit_status", 0, "output", "--scale worker=6")));
  }

  @Test
  void moduleOpensAnActionThatPassesOnlyTheMinimalEnvironment() throws Exception {
    Action opened = new ScaleCommandModule().open(deployer, new SharedClients(new OkHttpClient(), new ObjectMapper(),
        Map.of("PATH", "/usr/bin:/bin", "REMEDIATOR_OPERATOR_TOKEN", "s3cret")));

    ActionResult result = opened.execute(request(deployer, Map.of("argv", List.of("/usr/bin/env", "REPLICAS={replicas}"),
        "current", "2", "step", 1, "max_replicas", 5)));

    assertThat(result.message()).isEqualTo("scaled from 2 to 3 replicas (+1)\nPATH=/usr/bin:/bin\nREPLICAS=3\n");
  }

  @Test
  void stepIsAddedAndTheResultClampedToMax() throws Exception {
    ActionResult result = scale("argv", List.of("/usr/bin/printf", "%s\\n", "worker={replicas}"),
        "current", "9", "step", 3, "max_replicas", 10);

    assertThat(result.facts()).containsEntry("replicas_before", 9).containsEntry("replicas_after", 10);
    assertThat(result.message()).endsWith("worker=10\n");
  }

  @Test
  void scaleDownRoundsUpAndStopsAtMin() throws Exception {
    ActionResult down = scale("argv", List.of("/bin/echo", "{replicas}"), "current", "5", "factor", 0.5,
        "min_replicas", 2, "max_replicas", 10);
    ActionResult floor = scale("argv", List.of("/bin/echo", "{replicas}"), "current", "3", "factor", 0.5,
        "min_replicas", 2, "max_replicas", 10);

    assertThat(down.facts()).containsEntry("replicas_before", 5).containsEntry("replicas_after", 3);
    assertThat(floor.facts()).containsEntry("replicas_before", 3).containsEntry("replicas_after", 2);
  }

  @Test
  void queryReadsTheCountFromStdoutAndRepeatedRunsScaleGradually() throws Exception {
    Files.writeString(dir.resolve("replicas"), "1\n");
    Object[] params = {"argv", List.of("./compose", "up", "worker={replicas}"), "query", List.of("./compose", "replicas"),
        "factor", 2, "max_replicas", 10};

    StringBuilder path = new StringBuilder().append(replicasOnDisk());
    for (int run = 0; run < 4; run++) {
      ActionResult result = scale(params);
      assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
      path.append(" -> ").append(replicasOnDisk());
    }

    assertThat(path).hasToString("1 -> 2 -> 4 -> 8 -> 10");
    ActionResult atMax = scale(params);
    assertThat(atMax).isEqualTo(new ActionResult.Succeeded(
        "scale: replicas stay at 10 (x2 within 1..10 changes nothing); nothing was run",
        ordered("replicas_before", 10, "replicas_after", 10)));
  }

  @Test
  void queryThatFailsStopsBeforeScaling() throws Exception {
    Files.writeString(dir.resolve("replicas"), "4\n");

    ActionResult result = scale("argv", List.of("./compose", "up", "worker={replicas}"),
        "query", List.of("./compose", "count"), "step", 1, "max_replicas", 10);

    assertThat(result).isEqualTo(new ActionResult.Permanent(
        "scale: query exited with status 2: unknown command count; nothing was scaled", null));
    assertThat(replicasOnDisk()).isEqualTo(4);
  }

  @Test
  void queryThatPrintsNoNumberStopsBeforeScaling() throws Exception {
    Files.writeString(dir.resolve("replicas"), "four\n");

    ActionResult result = scale("argv", List.of("./compose", "up", "worker={replicas}"),
        "query", List.of("./compose", "replicas"), "step", 1, "max_replicas", 10);

    assertThat(result).isEqualTo(new ActionResult.Permanent(
        "scale: query ./compose must print the replica count now, but printed \"four\"; nothing was scaled", null));
    assertThat(Files.readString(dir.resolve("replicas"))).isEqualTo("four\n");
  }

  @Test
  void currentThatIsNotANumberIsPermanent() throws Exception {
    ActionResult result = scale("argv", List.of("/bin/echo", "{replicas}"), "current", "", "step", 1,
        "max_replicas", 10);

    assertThat(result).isEqualTo(new ActionResult.Permanent(
        "scale: current must be a whole number of replicas, but was \"\" (check the alert's annotation)", null));
  }

  @Test
  void failingScaleCommandIsPermanentWithTheWantedCount() throws Exception {
    ActionResult result = scale("argv", List.of("/bin/sh", "-c", "echo no such service: $0 >&2; exit 1", "{replicas}"),
        "current", "2", "factor", 2, "max_replicas", 10);

    assertThat(result).isEqualTo(new ActionResult.Permanent("scale to 4 exited with status 1: no such service: 4", null,
        ordered("replicas_before", 2, "replicas_wanted", 4, "exit_status", 1, "output", "no such service: 4")));
  }

  @Test
  void invalidParametersAtRunTimeArePermanent() throws Exception {
    ActionResult result = scale("argv", List.of("/bin/echo", "{replicas}"), "current", "2", "factor", 2, "step", 1,
        "max_replicas", 10);

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).startsWith("invalid parameters: step cannot be given with factor");
  }
}
