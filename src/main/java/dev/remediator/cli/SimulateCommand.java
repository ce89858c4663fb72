package dev.remediator.cli;

import dev.remediator.action.catalog.ActionCatalog;
import dev.remediator.app.Simulations;
import dev.remediator.config.ReadFailure;
import dev.remediator.engine.SimulationReport;
import dev.remediator.engine.SimulationWindow;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.RulesException;
import dev.remediator.rules.RulesLoader;
import dev.remediator.store.Database;
import dev.remediator.store.StoreException;
import dev.remediator.store.StoreUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulate --rules candidate.yml --since 7d}: checks a candidate rules file, then runs it
 * over the alerts the configured store received in the window, acting on nothing and writing
 * nothing, and prints what each rule would have done.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Run a candidate rules file over stored alerts and report what each rule would have done.",
    footerHeading = "%nExit status:%n",
    footer = {"  0 simulated, 1 the rules file has problems or the store cannot be read, 2 bad flags.",
        "  The embedded store is locked by a running server: simulate against it with POST /api/v1/simulate."})
public final class SimulateCommand implements Callable<Integer> {
  private final Map<String, String> env;
  private final Clock clock;

  @Spec
  CommandSpec spec;

  @Option(names = "--rules", required = true, description = "the candidate rules file")
  Path rules;

  @Option(names = "--since", required = true,
      description = "start of the window: a duration back from now (7d, 12h) or an RFC 3339 instant")
  String since;

  @Option(names = "--until", description = "end of the window, like --since (default: now)")
  String until;

  @Option(names = "--database-url",
      description = "the store to read (REMEDIATOR_DATABASE_URL or REMEDIATOR_DATABASE_URL_FILE; "
          + "default: embedded SQLite file data/remediator.db)")
  String databaseUrl;

  public SimulateCommand(Map<String, String> env, Clock clock) {
    this.env = env;
    this.clock = clock;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SimulationWindow window;
    try {
      window = SimulationWindow.parse(since, until, clock.instant());
    } catch (IllegalArgumentException e) {
      err.println("remediator simulate: --" + e.getMessage());
      err.flush();
      return ServerCommands.USAGE;
    }
    RuleSet candidate;
    try {
      candidate = new RulesLoader(ActionCatalog.specs(), env).load(rules);
    } catch (RulesException e) {
      e.problems().forEach(err::println);
      err.flush();
      return 1;
    } catch (IOException e) {
      err.println(rules + ": cannot read: " + ReadFailure.describe(e));
      err.flush();
      return 1;
    }
    String url = DatabaseUrl.orDefault(databaseUrl, env);
    try (Database database = Database.open(url, 2)) {
      SimulationReport report = Simulations.simulator().run(database, candidate, window);
      out.println(SimulationText.render(report));
      out.flush();
      return 0;
    } catch (StoreUnavailableException | StoreException | IllegalArgumentException e) {
      err.println("remediator simulate: cannot read the store: " + e.getMessage());
      err.flush();
      return 1;
    }
  }
}
