package dev.remediator.cli;

import dev.remediator.action.catalog.ActionCatalog;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The remediator command line: one jar, one subcommand per job. Without a command it lists them and exits 2. */
@Command(name = "remediator", mixinStandardHelpOptions = true, version = "remediator 0.1.0",
    description = "Prometheus Alertmanager webhook receiver that runs runbook remediations.",
    synopsisSubcommandLabel = "COMMAND",
    footer = {"%nRun 'remediator COMMAND --help' for a command's flags and environment variables."})
public final class Main implements Callable<Integer> {
  /** Exit status for a command line that names no command, as for other usage errors. */
  static final int USAGE = 2;

  @Spec
  private CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** The full command tree, with the environment injected so tests need not touch the real one. */
  public static CommandLine commandLine(Map<String, String> env) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.addSubcommand("serve", new ServeCommand(env));
    commandLine.addSubcommand("check", new CheckCommand(ActionCatalog.specs(), env));
    commandLine.addSubcommand("bench", new BenchCommand());
    commandLine.addSubcommand("pause", new PauseCommand(env));
    commandLine.addSubcommand("resume", new ResumeCommand(env));
    commandLine.addSubcommand("audit", new CommandLine(new AuditCommand())
        .addSubcommand("verify", new AuditCommand.Verify(env))
        .addSubcommand("export", new AuditExportCommand(env, System.out, Clock.systemUTC())));
    commandLine.addSubcommand("replay", new ReplayCommand(env, System.in));
    commandLine.addSubcommand("simulate", new SimulateCommand(env, Clock.systemUTC()));
    commandLine.setDefaultValueProvider(ServeCommand.environmentDefaults(env));
    return commandLine;
  }

  @Override
  public Integer call() {
    CommandLine commandLine = spec.commandLine();
    commandLine.getErr().println("remediator: a command is required");
    commandLine.usage(commandLine.getErr());
    commandLine.getErr().flush();
    return USAGE;
  }
}
