package dev.remediator.rules;

import java.util.List;
import java.util.Objects;

/**
 * A rules file is invalid. {@code problems()} holds every problem found, not just the first, each
 * as {@code FILE:LINE: message} with a 1-based line, in line order.
 */
public final class RulesException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final List<String> problems;

  public RulesException(String source, List<String> problems) {
    super(Objects.requireNonNull(source, "source") + " is invalid (" + problems.size()
        + (problems.size() == 1 ? " problem" : " problems") + "):\n" + String.join("\n", problems));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** The file name (or other source name) the rules came from. */
  public String source() {
    return source;
  }

  public List<String> problems() {
    return problems;
  }
}
