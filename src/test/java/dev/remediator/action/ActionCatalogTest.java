package dev.remediator.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.remediator.action.command.CommandSpec;
import dev.remediator.action.notify.NotifySpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionCatalogTest {
  @Test
  void listsTheBuiltInSpecsByName() {
    assertThat(ActionCatalog.specs()).containsOnlyKeys("command", "notify");
    assertThat(ActionCatalog.specs().get("command")).isInstanceOf(CommandSpec.class);
    assertThat(ActionCatalog.find("notify")).containsInstanceOf(NotifySpec.class);
    assertThat(ActionCatalog.find("reboot")).isEmpty();
  }

  @Test
  void refusesTwoSpecsWithOneName() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ActionCatalog.byName(List.of(new CommandSpec(), new CommandSpec())))
        .withMessage("action name command is used twice: by dev.remediator.action.command.CommandSpec"
            + " and dev.remediator.action.command.CommandSpec");
  }
}
