package dev.remediator.cli;

import dev.remediator.engine.SimulationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A simulation report as an SRE reads it: a sentence per rule, then its examples. */
final class SimulationText {
  private SimulationText() {}

  static String render(SimulationReport report) {
    List<String> lines = new ArrayList<>();
    lines.add("simulated " + report.source() + " over " + report.alertsRead() + " alerts received from "
        + report.since() + " until " + report.until() + " (" + report.firingAlerts() + " firing)");
    if (!report.notSimulated().isEmpty()) {
      lines.add("not simulated, since they ask the world as it is now: " + String.join(", ", report.notSimulated()));
    }
    for (SimulationReport.RuleReport rule : report.rules()) {
      lines.add(sentence(rule));
      for (Map.Entry<String, List<SimulationReport.Example>> examples : rule.examples().entrySet()) {
        for (SimulationReport.Example example : examples.getValue()) {
          lines.add("  " + examples.getKey() + ": " + example.alertname() + " " + example.fingerprint()
              + " startsAt " + example.startsAt() + ": " + example.reason());
        }
      }
    }
    return String.join(System.lineSeparator(), lines);
  }

  /** "had these rules been live, restart-api would have acted 3 times; cooldown stopped 41 (of 44 matched)". */
  static String sentence(SimulationReport.RuleReport rule) {
    StringBuilder line = new StringBuilder("had these rules been live, ").append(rule.rule())
        .append(" would have acted ").append(times(rule.wouldAct()));
    if (rule.awaitingApproval() > 0) {
      line.append(", awaited approval ").append(times(rule.awaitingApproval()));
    }
    if (rule.dryRun() > 0) {
      line.append(", dry-run ").append(times(rule.dryRun()));
    }
    List<String> stopped = new ArrayList<>();
    rule.stoppedBy().forEach((guard, count) -> stopped.add(guard + " stopped " + count));
    if (!stopped.isEmpty()) {
      line.append("; ").append(String.join(", ", stopped));
    }
    return line.append(" (of ").append(rule.matched()).append(" matched)").toString();
  }

  private static String times(long count) {
    return count + (count == 1 ? " time" : " times");
  }
}
