package dev.remediator.api;

import dev.remediator.engine.KillSwitch;
import dev.remediator.intake.IntakeWriter;
import dev.remediator.intake.WebhookHandler;
import dev.remediator.rules.RulesHolder;
import dev.remediator.store.Database;
import dev.remediator.store.Pause;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code /-/healthy} (the process answers) and {@code /-/ready}: a webhook could be committed
 * now (store reachable, no intake request waiting past the store deadline, the last commit
 * attempt succeeded) and rules are loaded. A paused remediator is still ready (it keeps storing
 * and auditing alerts); the body says whether it is paused, by whom and why.
 */
public final class HealthHandler {
  private final Database database;
  private final RulesHolder rules;
  private final IntakeWriter intake;
  private final BooleanSupplier stopping;
  private final KillSwitch killSwitch;

  public HealthHandler(Database database, IntakeWriter intake, RulesHolder rules, BooleanSupplier stopping,
                       KillSwitch killSwitch) {
    this.database = database;
    this.intake = intake;
    this.rules = rules;
    this.stopping = stopping;
    this.killSwitch = killSwitch;
  }

  public void healthy(Context ctx) {
    ctx.json(Map.of("status", "healthy"));
  }

  public void ready(Context ctx) {
    List<String> problems = new ArrayList<>();
    if (stopping.getAsBoolean()) {
      problems.add("shutting down");
    }
    if (!database.isReachable()) {
      problems.add("store " + database.description() + " is not reachable");
    }
    intake.notReadyReason(WebhookHandler.STORE_DEADLINE).ifPresent(problems::add);
    if (!rules.isLoaded()) {
      problems.add("no rules loaded");
    }
    Optional<Pause> pause = Optional.empty();
    if (problems.isEmpty()) {
      try {
        pause = killSwitch.current();
      } catch (RuntimeException e) {
        problems.add("cannot read whether remediator is paused: " + e.getMessage());
      }
    }
    if (problems.isEmpty()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", "ready");
      body.put("rules", rules.current().rules().size());
      body.put("pause", PauseHandler.state(pause));
      ctx.json(body);
    } else {
      ctx.status(503).json(Map.of("status", "not ready", "reasons", problems));
    }
  }
}
