package dev.remediator.engine.guard;

import dev.remediator.engine.DecisionContext;
import dev.remediator.engine.Guard;
import dev.remediator.engine.Verdict;
import dev.remediator.rules.PromDuration;
import dev.remediator.rules.RateLimit;
import dev.remediator.rules.Rule;
import dev.remediator.store.Ledger;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code max_fraction} on restart and scale rules: a rule never touches more than that fraction
 * of one service's instances within its window, so an alert on every pod cannot take the whole
 * service down at once. The instances are the distinct {@code instance} (else {@code pod}) labels
 * seen on stored alerts with the alert's {@code service} label in the window; the rule's
 * decisions to act for that service in the window are what it has touched.
 *
 * <p>The window is the rule's {@code max_actions.per}, else its {@code cooldown}, else one hour:
 * the span over which the rule already says how often it may act, so both limits speak of the
 * same stretch of time.
 */
public final class MaxFractionGuard implements Guard.OfLedger {
  /** The window when the rule sets neither {@code max_actions} nor {@code cooldown}. */
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

  @Override
  public String name() {
    return "max_fraction";
  }

  @Override
  public Verdict check(DecisionContext context, Ledger ledger) {
    Rule rule = context.rule();
    if (rule.safeguards().maxFraction().isEmpty()) {
      return new Verdict.Pass("no max_fraction set");
    }
    double max = rule.safeguards().maxFraction().getAsDouble();
    String service = context.alert().alert().labels().get(Ledger.SERVICE);
    if (service.isEmpty()) {
      return new Verdict.Pass("the alert has no service label, so there are no instances to count");
    }
    Duration window = window(rule);
    long instances = ledger.instancesSince(service, context.now().minus(window));
    if (instances == 0) {
      return new Verdict.Pass("no alert of " + service + " in the last " + PromDuration.format(window)
          + " names an instance or pod");
    }
    long touched = ledger.countForServiceSince(rule.name(), service, context.now().minus(window),
        (int) Math.min(Integer.MAX_VALUE, instances + 1));
    long would = touched + 1;
    double fraction = (double) would / instances;
    String verdict = "would " + rule.action() + " " + would + " of " + instances + " instances of " + service + " ("
        + percent(fraction) + (fraction > max ? " > " : " <= ") + percent(max) + ") in the last "
        + PromDuration.format(window);
    return fraction > max ? new Verdict.Skip(verdict) : new Verdict.Pass(verdict);
  }

  /** The rule's window: its max_actions.per, else its cooldown, else {@link #DEFAULT_WINDOW}. */
  static Duration window(Rule rule) {
    return rule.maxActions().map(RateLimit::per).or(rule::cooldown).orElse(DEFAULT_WINDOW);
  }

  private static String percent(double fraction) {
    return new DecimalFormat("0.#", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(fraction * 100) + "%";
  }
}
