package dev.remediator.action.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.remediator.action.ActionModules;
import dev.remediator.action.command.CommandModule;
import dev.remediator.action.command.CommandSpec;
import dev.remediator.action.notify.NotifySpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionCatalogTest {
  @Test
  void listsTheBuiltInSpecsByName() {
    assertThat(ActionCatalog.specs())
        .containsOnlyKeys("command", "notify", "restart", "rollback", "scale", "kill_idle_connections", "flush_cache");
    assertThat(ActionCatalog.specs().get("command")).isInstanceOf(CommandSpec.class);
    assertThat(ActionCatalog.find("notify")).containsInstanceOf(NotifySpec.class);
    assertThat(ActionCatalog.find("reboot")).isEmpty();
  }

  @Test
  void oneModulePerActionAndTargetKind() {
    assertThat(ActionCatalog.MODULES)
        .extracting(module -> module.spec().name() + " on " + module.targetKind().wireName())
        .containsExactly("command on command", "notify on webhook", "restart on command", "rollback on command",
            "scale on command", "kill_idle_connections on postgres", "flush_cache on redis");
  }

  @Test
  void refusesTwoModulesForOneActionAndTargetKind() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ActionModules.specs(List.of(new CommandModule(), new CommandModule())))
        .withMessage("action command on command is served twice: by dev.remediator.action.command.CommandModule"
            + " and dev.remediator.action.command.CommandModule");
  }
}
