package dev.remediator.action.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.rules.ActionSpec.ParamProblem;
import dev.remediator.target.TargetKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandSpecTest {
  private final CommandSpec spec = new CommandSpec();

  @Test
  void describesItselfAsAStrictCommandAction() {
    assertThat(spec.name()).isEqualTo("command");
    assertThat(spec.targetKinds()).containsExactly(TargetKind.COMMAND);
    assertThat(spec.strictTemplates()).isTrue();
  }

  @Test
  void acceptsTemplatedArgumentsAfterALiteralProgram() {
    assertThat(spec.validate(Map.of(
        "argv", List.of("docker", "compose", "-f", "/srv/app/compose.yml", "restart", "{{ labels.service }}"),
        "timeout", "60s"))).isEmpty();
  }

  @Test
  void requiresArgv() {
    assertThat(spec.validate(Map.of()))
        .containsExactly(new ParamProblem("argv", "must be a non-empty list of strings"));
  }

  @Test
  void rejectsArgvGivenAsOneString() {
    assertThat(spec.validate(Map.of("argv", "docker restart app"))).containsExactly(
        new ParamProblem("argv", "must be a non-empty list of strings, but was \"docker restart app\""));
  }

  @Test
  void rejectsEmptyArgv() {
    assertThat(spec.validate(Map.of("argv", List.of())))
        .containsExactly(new ParamProblem("argv", "must be a non-empty list of strings, but was []"));
  }

  @Test
  void rejectsArgvElementsThatAreNotStrings() {
    assertThat(spec.validate(Map.of("argv", List.of("/bin/sleep", 5))))
        .containsExactly(new ParamProblem("argv", "argv[1] must be a string, but was 5"));
  }

  @Test
  void rejectsATemplatedProgram() {
    assertThat(spec.validate(Map.of("argv", List.of("{{ labels.tool }}", "restart"))))
        .containsExactly(new ParamProblem("argv", "argv[0] must be a literal program, not a template"));
  }

  @Test
  void rejectsABlankProgram() {
    assertThat(spec.validate(Map.of("argv", List.of(" ", "restart"))))
        .containsExactly(new ParamProblem("argv", "argv[0] must name a program, but was \" \""));
  }

  @Test
  void rejectsATimeoutThatIsNotADuration() {
    assertThat(spec.validate(Map.of("argv", List.of("true"), "timeout", "soon"))).containsExactly(
        new ParamProblem("timeout", "not a valid duration string: \"soon\" (use e.g. 90s, 15m, 1h30m)"));
  }

  @Test
  void rejectsATimeoutGivenAsANumber() {
    assertThat(spec.validate(Map.of("argv", List.of("true"), "timeout", 60)))
        .containsExactly(new ParamProblem("timeout", "must be a duration such as 60s, but was 60"));
  }

  @Test
  void rejectsTimeoutsOutsideOneSecondToOneHour() {
    assertThat(spec.validate(Map.of("argv", List.of("true"), "timeout", "500ms")))
        .containsExactly(new ParamProblem("timeout", "must be between 1s and 1h, but was 500ms"));
    assertThat(spec.validate(Map.of("argv", List.of("true"), "timeout", "1h1s")))
        .containsExactly(new ParamProblem("timeout", "must be between 1s and 1h, but was 1h1s"));
    assertThat(spec.validate(Map.of("argv", List.of("true"), "timeout", "1h"))).isEmpty();
  }

  @Test
  void reportsUnknownKeysInKeyOrder() {
    assertThat(spec.validate(Map.of("argv", List.of("true"), "shell", true, "env", Map.of()))).containsExactly(
        new ParamProblem("env", "is not a parameter of command (known: argv, timeout)"),
        new ParamProblem("shell", "is not a parameter of command (known: argv, timeout)"));
  }

  @Test
  void timeoutDefaultsToSixtySeconds() {
    assertThat(CommandSpec.timeout(Map.of("argv", List.of("true")))).hasSeconds(60);
  }
}
