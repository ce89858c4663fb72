package dev.remediator.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/** Collects every problem found in one rules file, each with its 1-based line. */
final class Problems {
  private record Problem(int line, String message) {}

  private final String source;
  private final List<Problem> problems = new ArrayList<>();

  Problems(String source) {
    this.source = source;
  }

  void add(Node node, String message) {
    add(line(node), message);
  }

  void add(int line, String message) {
    problems.add(new Problem(line, message));
  }

  int count() {
    return problems.size();
  }

  static int line(Node node) {
    Mark mark = node.getStartMark();
    return mark == null ? 1 : mark.getLine() + 1;
  }

  /** Throws RulesException with every problem as {@code FILE:LINE: message}, in line order, if any. */
  void throwIfAny() {
    if (problems.isEmpty()) {
      return;
    }
    throw new RulesException(source, problems.stream()
        .sorted(Comparator.comparingInt(Problem::line))
        .map(problem -> source + ":" + problem.line() + ": " + problem.message())
        .toList());
  }
}
