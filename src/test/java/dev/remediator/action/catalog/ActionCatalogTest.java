package dev.remediator.action.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.remediator.action.ActionModules;
import dev.remediator.action.command.CommandModule;
import dev.remediator.action.command.CommandSpec;
import dev.remediator.action.notify.NotifySpec;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.TargetKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionCatalogTest {
  @Test
  void listsTheBuiltInSpecsByName() {
    assertThat(ActionCatalog.specs()).containsOnlyKeys("command", "flush_cache", "http", "kill_idle_connections",
        "notify", "restart", "rollback", "scale");
    assertThat(ActionCatalog.specs().get("command")).isInstanceOf(CommandSpec.class);
    assertThat(ActionCatalog.find("notify")).containsInstanceOf(NotifySpec.class);
    for (String action : List.of("restart", "rollback", "scale")) {
      assertThat(ActionCatalog.specs().get(action).targetKinds()).as(action).contains(TargetKind.KUBERNETES);
    }
    assertThat(ActionCatalog.find("reboot")).isEmpty();
  }

  @Test
  void restartAndRollbackTakeTheParametersOfTheirTargetKind() {
    ActionSpec restart = ActionCatalog.specs().get("restart");

    assertThat(restart.targetKinds()).contains(TargetKind.RAILWAY, TargetKind.HTTP);
    assertThat(restart.validate(TargetKind.RAILWAY, Map.of("project", "p", "environment", "e", "service", "s")))
        .isEmpty();
    assertThat(restart.validate(TargetKind.HTTP, Map.of("method", "POST", "path", "/restart"))).isEmpty();
    assertThat(restart.validate(TargetKind.HTTP, Map.of("project", "p", "environment", "e", "service", "s")))
        .extracting(ActionSpec.ParamProblem::key).contains("environment", "method", "path");
    assertThat(ActionCatalog.specs().get("rollback").strictTemplates()).isTrue();
  }

  @Test
  void oneModulePerActionAndTargetKind() {
    assertThat(ActionCatalog.MODULES)
        .extracting(module -> module.spec().name() + " on " + module.targetKind().wireName())
        .containsExactly("command on command", "notify on webhook", "restart on command", "rollback on command",
            "scale on command", "restart on kubernetes", "rollback on kubernetes", "scale on kubernetes",
            "restart on railway", "rollback on railway", "http on http", "restart on http", "rollback on http",
            "kill_idle_connections on postgres", "flush_cache on redis");
  }

  @Test
  void refusesTwoModulesForOneActionAndTargetKind() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ActionModules.specs(List.of(new CommandModule(), new CommandModule())))
        .withMessage("action command on command is served twice: by dev.remediator.action.command.CommandModule"
            + " and dev.remediator.action.command.CommandModule");
  }
}
