package dev.remediator.api;

import dev.remediator.intake.IntakeWriter;
import dev.remediator.intake.WebhookHandler;
import dev.remediator.rules.RulesHolder;
import dev.remediator.store.Database;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code /-/healthy} (the process answers) and {@code /-/ready}: a webhook could be committed
 * now (store reachable, no intake request waiting past the store deadline, the last commit
 * attempt succeeded) and rules are loaded.
 */
public final class HealthHandler {
  private final Database database;
  private final RulesHolder rules;
  private final IntakeWriter intake;
  private final BooleanSupplier stopping;

  public HealthHandler(Database database, IntakeWriter intake, RulesHolder rules, BooleanSupplier stopping) {
    this.database = database;
    this.intake = intake;
    this.rules = rules;
    this.stopping = stopping;
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
    if (problems.isEmpty()) {
      ctx.json(Map.of("status", "ready", "rules", rules.current().rules().size()));
    } else {
      ctx.status(503).json(Map.of("status", "not ready", "reasons", problems));
    }
  }
}
