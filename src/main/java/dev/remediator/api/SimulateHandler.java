package dev.remediator.api;

import dev.remediator.engine.SimulationReport;
import dev.remediator.engine.SimulationWindow;
import dev.remediator.engine.Simulator;
import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.RulesException;
import dev.remediator.rules.RulesLoader;
import dev.remediator.store.Database;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * {@code POST /api/v1/simulate?since=7d[&until=...]}: the body is a candidate rules file
 * (text/yaml), checked first like {@code remediator check} (its problems are a 400, one
 * {@code file:line: message} per line); then run over the alerts stored in the window, acting on
 * nothing and writing nothing, and answered as JSON per rule.
 */
public final class SimulateHandler {
  /** How the candidate file is named in its problems. */
  static final String SOURCE = "candidate";

  private final RulesLoader loader;
  private final Simulator simulator;
  private final Database database;
  private final Clock clock;

  public SimulateHandler(RulesLoader loader, Simulator simulator, Database database, Clock clock) {
    this.loader = loader;
    this.simulator = simulator;
    this.database = database;
    this.clock = clock;
  }

  public void simulate(Context ctx) {
    SimulationWindow window;
    try {
      window = SimulationWindow.parse(ctx.queryParam("since"), ctx.queryParam("until"), clock.instant());
    } catch (IllegalArgumentException e) {
      String field = e.getMessage().startsWith("until") ? "until" : "since";
      throw new ApiException(new ApiError(400, field, e.getMessage()), Map.of(), null);
    }
    RuleSet candidate;
    try {
      candidate = loader.parse(SOURCE, new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8));
    } catch (RulesException e) {
      throw new ApiException(new ApiError(400, "body", String.join("\n", e.problems())), Map.of(), null);
    }
    SimulationReport report = simulator.run(database, candidate, window);
    ctx.json(report);
  }
}
