package dev.remediator.api;

import dev.remediator.engine.RulesReloader;
import dev.remediator.rules.RulesHolder;
import io.javalin.http.Context;
import java.util.Map;

/** {@code POST /-/reload}: operators reload the rules file; a bad file keeps the old rules (409). */
public final class ReloadHandler {
  private final RulesReloader reloader;

  public ReloadHandler(RulesReloader reloader) {
    this.reloader = reloader;
  }

  public void reload(Context ctx) {
    RulesHolder.Reload result = reloader.reload(OperatorRequest.actor(ctx));
    if (result.loaded()) {
      ctx.json(Map.of("status", "reloaded", "rules", result.rulesInForce()));
    } else {
      ctx.status(409).json(Map.of("status", "rejected", "rulesInForce", result.rulesInForce(),
          "problems", result.problems()));
    }
  }
}
