package dev.remediator;

import dev.remediator.action.ActionCatalog;
import dev.remediator.rules.CheckCommand;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The remediator command line: one jar, one subcommand per job. */
@Command(name = "remediator", mixinStandardHelpOptions = true, version = "remediator 0.1.0",
    description = "Prometheus Alertmanager webhook receiver that runs runbook remediations.")
public final class Main implements Runnable {
  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** The full command tree, with the environment injected so tests need not touch the real one. */
  public static CommandLine commandLine(Map<String, String> env) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.addSubcommand("serve", new ServeCommand(env));
    commandLine.addSubcommand("check", new CheckCommand(ActionCatalog.specs(), env));
    return commandLine;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
