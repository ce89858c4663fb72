package dev.remediator;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The remediator command line: one jar, one subcommand per job. */
@Command(name = "remediator", mixinStandardHelpOptions = true, version = "remediator 0.1.0",
    description = "Prometheus Alertmanager webhook receiver that runs runbook remediations.",
    subcommands = {})
public final class Main implements Runnable {
  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
