package dev.remediator.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.action.command.CommandAction;
import dev.remediator.action.notify.NotifyAction;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class ActionRegistryTest {
  private final CommandAction command = new CommandAction(Map.of());
  private final NotifyAction notify = new NotifyAction(new OkHttpClient(), new ObjectMapper());

  @Test
  void findsActionsByTheirSpecName() {
    ActionRegistry registry = new ActionRegistry(List.of(command, notify));

    assertThat(registry.find("command")).containsSame(command);
    assertThat(registry.find("notify")).containsSame(notify);
    assertThat(registry.find("restart")).isEmpty();
    assertThat(registry.specs()).containsOnlyKeys("command", "notify");
  }

  @Test
  void builtInActionsMatchTheOfflineCatalog() {
    ActionRegistry registry = new ActionRegistry(List.of(command, notify));

    assertThat(registry.specs().keySet()).isEqualTo(ActionCatalog.specs().keySet());
  }

  @Test
  void refusesTwoActionsWithOneName() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new ActionRegistry(List.of(command, new CommandAction(Map.of()))))
        .withMessage("action name command is used twice: by dev.remediator.action.command.CommandAction"
            + " and dev.remediator.action.command.CommandAction");
  }
}
