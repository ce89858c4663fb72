package dev.remediator.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a candidate rules file would have done over a window of stored alerts: for each rule, the
 * alerts it matched, how often it would have acted (or awaited approval, or dry-run), and how
 * many decisions each guard stopped, with the first few examples of each. {@code notSimulated}
 * names the guards that ask the world as it is now (pause, breakers, PromQL) and were skipped.
 */
public record SimulationReport(String source, Instant since, Instant until, long alertsRead, long firingAlerts,
                               List<String> notSimulated, List<RuleReport> rules) {
  public SimulationReport {
    notSimulated = List.copyOf(notSimulated);
    rules = List.copyOf(rules);
  }

  /** One rule's tally; {@code examples} are keyed by outcome ({@code acted}, ...) and by the guard that stopped. */
  public record RuleReport(String rule, String action, String target, long matched, long wouldAct,
                           long awaitingApproval, long dryRun, Map<String, Long> stoppedBy,
                           Map<String, List<Example>> examples) {}

  /** One alert behind a count, and the reason its decision gave. */
  public record Example(String alertname, String fingerprint, Instant startsAt, Instant receivedAt, String reason) {}
}
