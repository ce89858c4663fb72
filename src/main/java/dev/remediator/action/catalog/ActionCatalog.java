package dev.remediator.action.catalog;

import dev.remediator.action.ActionModule;
import dev.remediator.action.ActionModules;
import dev.remediator.action.command.CommandModule;
import dev.remediator.action.command.NamedCommandModule;
import dev.remediator.action.command.ScaleCommandModule;
import dev.remediator.action.http.HttpModule;
import dev.remediator.action.http.HttpRestartModule;
import dev.remediator.action.http.HttpRollbackModule;
import dev.remediator.action.kubernetes.KubernetesRestartModule;
import dev.remediator.action.kubernetes.KubernetesRollbackModule;
import dev.remediator.action.kubernetes.KubernetesScaleModule;
import dev.remediator.action.notify.NotifyModule;
import dev.remediator.action.postgres.KillIdleConnectionsModule;
import dev.remediator.action.railway.RailwayRestartModule;
import dev.remediator.action.railway.RailwayRollbackModule;
import dev.remediator.action.redis.FlushCacheModule;
import dev.remediator.rules.ActionSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in action modules, one per (action, target kind): the one list that {@code check}
 * reads specs from (offline: no network, database or client) and {@code serve} builds actions from.
 */
public final class ActionCatalog {
  public static final List<ActionModule> MODULES = List.of(new CommandModule(), new NotifyModule(),
      NamedCommandModule.restart(), NamedCommandModule.rollback(), new ScaleCommandModule(),
      new KubernetesRestartModule(), new KubernetesRollbackModule(), new KubernetesScaleModule(),
      new RailwayRestartModule(), new RailwayRollbackModule(),
      new HttpModule(), new HttpRestartModule(), new HttpRollbackModule(),
      new KillIdleConnectionsModule(), new FlushCacheModule());
  private static final Map<String, ActionSpec> SPECS = ActionModules.specs(MODULES);

  private ActionCatalog() {}

  /** The built-in specs, keyed and ordered by action name; unmodifiable. */
  public static Map<String, ActionSpec> specs() {
    return SPECS;
  }

  public static Optional<ActionSpec> find(String name) {
    return Optional.ofNullable(SPECS.get(name));
  }
}
