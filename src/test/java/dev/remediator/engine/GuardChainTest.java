package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.engine.guard.AllowlistGuard;
import dev.remediator.engine.guard.ApprovalGuard;
import dev.remediator.engine.guard.CooldownGuard;
import dev.remediator.engine.guard.DryRunGuard;
import dev.remediator.engine.guard.RateLimitGuard;
import dev.remediator.rules.RateLimit;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.Ledger;
import dev.remediator.store.StoredAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuardChainTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  /** A ledger that has seen {@code used} actions of every rule, none of them recent enough for a cooldown. */
  private record FixedLedger(Budget budget, long used) implements Ledger {
    @Override
    public Optional<Instant> lastActed(String rule, String group) {
      return Optional.empty();
    }

    @Override
    public long countSince(String rule, Instant since, int cap) {
      return Math.min(used, cap);
    }

    @Override
    public long countAllSince(Instant since, int cap) {
      return Math.min(used, cap);
    }

    @Override
    public long countForServiceSince(String rule, String service, Instant since, int cap) {
      return Math.min(used, cap);
    }

    @Override
    public long instancesSince(String service, Instant since) {
      return 0;
    }
  }

  private static DecisionContext context(boolean dryRun, boolean approval) {
    Rule rule = new Rule("restart-api", 1, List.of(), "command", "deployer", Map.of(), Map.of(), Optional.empty(),
        List.of(), Optional.of(new RateLimit(3, Duration.ofHours(1))), dryRun, approval);
    RuleSet rules = new RuleSet("rules.yml", false, Optional.empty(), Map.of(), List.of(rule), Optional.empty());
    StoredAlert alert = new StoredAlert(1, 1, new Alert(AlertStatus.FIRING, Labels.of("alertname", "A"), Labels.EMPTY,
        T0, Optional.empty(), "", null));
    return new DecisionContext(rules, rule, alert, "g", T0, Map.of(), null);
  }

  private static GuardChain standard() {
    return new GuardChain(List.of(new ApprovalGuard(), new AllowlistGuard(), new RateLimitGuard(), new CooldownGuard(),
        new DryRunGuard(false)));
  }

  @Test
  void guardsAreAskedInTheOrderOfTheListWhateverOrderTheyAreGivenIn() {
    List<String> standardOrder = List.of("dry_run", "cooldown", "rate_limit", "allowlist", "approval");
    assertThat(GuardChain.ORDER).containsSubsequence(standardOrder);
    assertThat(standard().names()).isEqualTo(standardOrder);
    GuardChain.Prepared prepared = standard().prepare(context(false, false));
    assertThat(standard().decide(prepared, new FixedLedger(Ledger.Budget.LIVE, 0)).steps())
        .extracting(GuardChain.Decision.Step::guard).isEqualTo(standardOrder);
  }

  @Test
  void guardWithoutAPlaceInTheOrderIsRefused() {
    Guard.OfContext snoozed = new Guard.OfContext() {
      @Override
      public String name() {
        return "snoozed";
      }

      @Override
      public Verdict check(DecisionContext context) {
        return new Verdict.Pass("not snoozed");
      }
    };

    assertThatThrownBy(() -> new GuardChain(List.of(snoozed)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("guard snoozed has no place in the guard order " + GuardChain.ORDER);
    assertThatThrownBy(() -> new GuardChain(List.of(new CooldownGuard(), new CooldownGuard())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("guard cooldown is given twice");
  }

  @Test
  void firstGuardThatDoesNotPassDecides() {
    GuardChain.Prepared prepared = standard().prepare(context(false, true));

    GuardChain.Decision decision = standard().decide(prepared, new FixedLedger(Ledger.Budget.LIVE, 3));

    assertThat(decision.outcome())
        .isEqualTo(new Verdict.Skip("rule max_actions reached: 3 of 3 actions in the last 1h"));
    assertThat(decision.decidedBy()).isEqualTo("rate_limit");
    assertThat(decision.counts()).isFalse();
    assertThat(decision.steps()).extracting(step -> step.verdict().wireName())
        .containsExactly("pass", "pass", "skip", "pass", "await_approval");
  }

  @Test
  void dryRunCountsInTheDryRunLedgerAndSaysWhatLiveWouldDo() {
    GuardChain.Prepared prepared = standard().prepare(context(true, false));
    assertThat(prepared.budget()).isEqualTo(Ledger.Budget.DRY_RUN);

    GuardChain.Decision acts = standard().decide(prepared, new FixedLedger(Ledger.Budget.DRY_RUN, 2));
    GuardChain.Decision skips = standard().decide(prepared, new FixedLedger(Ledger.Budget.DRY_RUN, 3));

    assertThat(acts.outcome()).isEqualTo(new Verdict.DryRun(
        "rule restart-api has dry_run: true; would run: all guards passed"));
    assertThat(acts.counts()).isTrue();
    assertThat(acts.budget()).isEqualTo(Ledger.Budget.DRY_RUN);
    assertThat(skips.outcome()).isEqualTo(new Verdict.Skip(
        "rule restart-api has dry_run: true; would skip: rule max_actions reached: 3 of 3 actions in the last 1h"));
    assertThat(skips.decidedBy()).isEqualTo("rate_limit");
    assertThatThrownBy(() -> standard().decide(prepared, new FixedLedger(Ledger.Budget.LIVE, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a DRY_RUN decision must count in the DRY_RUN ledger, not the LIVE one");
  }
}
