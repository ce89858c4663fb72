package dev.remediator.rules;

import dev.remediator.config.ReadFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule set in force, and reloading it from disk. A file that does not load leaves the old
 * rules in force and says why.
 */
public final class RulesHolder {
  private static final Logger log = LoggerFactory.getLogger(RulesHolder.class);

  private final RulesLoader loader;
  private final Path path;
  private final AtomicReference<RuleSet> current = new AtomicReference<>();

  public RulesHolder(RulesLoader loader, Path path) {
    this.loader = loader;
    this.path = path;
  }

  /** Loads the file; on failure keeps what was in force and returns the problems. */
  public synchronized Reload reload() {
    try {
      RuleSet loaded = loader.load(path);
      current.set(loaded);
      log.atInfo().addKeyValue("rules", loaded.rules().size()).addKeyValue("targets", loaded.targets().size())
          .addKeyValue("file", path.toString()).log("rules loaded");
      return new Reload(true, loaded.rules().size(), List.of());
    } catch (RulesException e) {
      return rejected(e.problems());
    } catch (IOException e) {
      return rejected(List.of(path + ": cannot read: " + ReadFailure.describe(e)));
    }
  }

  private Reload rejected(List<String> problems) {
    log.atWarn().addKeyValue("file", path.toString()).addKeyValue("problems", problems)
        .log("rules not reloaded; keeping the rules in force");
    return new Reload(false, isLoaded() ? current().rules().size() : 0, problems);
  }

  public RuleSet current() {
    RuleSet rules = current.get();
    return rules == null ? RuleSet.empty(path.toString()) : rules;
  }

  public boolean isLoaded() {
    return current.get() != null;
  }

  public Path path() {
    return path;
  }

  /** The outcome of a reload: whether it took, the rules now in force, and any problems. */
  public record Reload(boolean loaded, int rulesInForce, List<String> problems) {}
}
