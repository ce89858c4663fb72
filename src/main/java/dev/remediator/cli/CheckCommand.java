package dev.remediator.cli;

import dev.remediator.config.ReadFailure;
import dev.remediator.rules.ActionSpec;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.RulesException;
import dev.remediator.rules.RulesLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code remediator check [FILE]}: validates a rules file offline, like {@code promtool check}.
 * Prints a one-line summary and exits 0 when valid; prints every {@code file:line: message} to
 * stderr and exits 1 when not, or when the file cannot be read.
 */
@Command(name = "check", description = "Validate a rules file offline and report every problem with its line.",
    footerHeading = "%nEnvironment:%n",
    footer = {"  Each variable the rules file interpolates (dollar sign, NAME in braces) is read from the",
        "  environment, as serve reads it; a missing one is a problem with its line."})
public final class CheckCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", defaultValue = "rules/remediation.yml",
      description = "rules file (default: ${DEFAULT-VALUE})")
  private Path file;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Spec
  private CommandSpec spec;

  private final RulesLoader loader;

  public CheckCommand(Map<String, ActionSpec> catalog, Map<String, String> env) {
    this.loader = new RulesLoader(catalog, env);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      RuleSet rules = loader.load(file);
      out.println(file + ": valid, " + plural(rules.rules().size(), "rule") + ", "
          + plural(rules.targets().size(), "target") + ", dry_run=" + rules.dryRun());
      out.flush();
      return 0;
    } catch (RulesException e) {
      e.problems().forEach(err::println);
      err.flush();
      return 1;
    } catch (IOException e) {
      err.println(file + ": cannot read: " + ReadFailure.describe(e));
      err.flush();
      return 1;
    }
  }

  private static String plural(int count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
