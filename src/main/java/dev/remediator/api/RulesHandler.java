package dev.remediator.api;

import dev.remediator.config.Redaction;
import dev.remediator.rules.BreakerSettings;
import dev.remediator.rules.PromCheck;
import dev.remediator.rules.PromDuration;
import dev.remediator.rules.RateLimit;
import dev.remediator.rules.Rule;
import dev.remediator.rules.RuleSet;
import dev.remediator.rules.Safeguards;
import dev.remediator.rules.Verification;
import dev.remediator.target.Target;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/rules}: the rules in force as remediator read them, settings, targets and
 * every rule with its safeguards, so an SRE can see what a reload changed. Target settings and
 * parameters are shown with secrets masked; durations as Prometheus durations.
 */
public final class RulesHandler {
  private final Supplier<RuleSet> rules;

  public RulesHandler(Supplier<RuleSet> rules) {
    this.rules = rules;
  }

  public void list(Context ctx) {
    RuleSet set = rules.get();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("source", set.source());
    answer.put("dryRun", set.dryRun());
    answer.put("maxActions", set.maxActions().map(RulesHandler::limit).orElse(null));
    answer.put("escalateTo", set.escalateTo().orElse(null));
    answer.put("targets", new TreeMap<>(set.targets()).values().stream().map(RulesHandler::target).toList());
    answer.put("rules", set.rules().stream().map(RulesHandler::rule).toList());
    ctx.json(answer);
  }

  private static Map<String, Object> target(Target target) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", target.name());
    view.put("kind", target.kind().wireName());
    view.put("settings", Redaction.structure(new TreeMap<>(target.settings())));
    return view;
  }

  private static Map<String, Object> rule(Rule rule) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", rule.name());
    view.put("line", rule.line());
    view.put("match", rule.matchers().stream().map(Object::toString).toList());
    view.put("action", rule.action());
    view.put("target", rule.target());
    view.put("with", Redaction.structure(rule.with()));
    Map<String, String> allow = new TreeMap<>();
    rule.allow().forEach((label, pattern) -> allow.put(label, pattern.pattern()));
    view.put("allow", allow);
    view.put("cooldown", rule.cooldown().map(PromDuration::format).orElse(null));
    view.put("groupBy", rule.groupBy());
    view.put("maxActions", rule.maxActions().map(RulesHandler::limit).orElse(null));
    view.put("dryRun", rule.dryRun());
    view.put("approval", rule.approvalRequired() ? "required" : "none");
    view.put("safeguards", safeguards(rule.safeguards()));
    return view;
  }

  private static Map<String, Object> safeguards(Safeguards safeguards) {
    Map<String, Object> view = new LinkedHashMap<>();
    BreakerSettings.Override breaker = safeguards.breaker();
    Map<String, Object> overrides = new LinkedHashMap<>();
    breaker.failureRate().ifPresent(rate -> overrides.put("failure_rate", rate));
    breaker.minCalls().ifPresent(calls -> overrides.put("min_calls", calls));
    breaker.window().ifPresent(window -> overrides.put("window", PromDuration.format(window)));
    breaker.openFor().ifPresent(openFor -> overrides.put("open_for", PromDuration.format(openFor)));
    view.put("breaker", overrides);
    view.put("ineffectiveAfter", safeguards.ineffectiveAfter().isPresent()
        ? safeguards.ineffectiveAfter().getAsInt() : null);
    view.put("guard", safeguards.guard().map(RulesHandler::check).orElse(null));
    view.put("verify", safeguards.verify().map(RulesHandler::verification).orElse(null));
    view.put("silenceWhileRemediating", duration(safeguards.silenceWhileRemediating()));
    view.put("approvalTtl", PromDuration.format(safeguards.approvalTtl()));
    view.put("onInterrupt", safeguards.onInterrupt().wireName());
    view.put("maxFraction", safeguards.maxFraction().isPresent() ? safeguards.maxFraction().getAsDouble() : null);
    view.put("escalateTo", safeguards.escalateTo().orElse(null));
    return view;
  }

  private static Map<String, Object> verification(Verification verification) {
    Map<String, Object> view = new LinkedHashMap<>();
    if (verification instanceof Verification.ResolvedWithin) {
      view.put("kind", "resolved_within");
    } else if (verification instanceof Verification.Query query) {
      view.put("kind", "promql");
      view.putAll(check(query.check()));
    } else if (verification instanceof Verification.HttpGet get) {
      view.put("kind", "http_get");
      view.put("url", Redaction.url(get.url().toString()));
      view.put("status", get.status());
    }
    view.put("within", PromDuration.format(verification.within()));
    return view;
  }

  private static Map<String, Object> check(PromCheck check) {
    return Map.of("promql", check.promql(), "expect", check.expect().toString());
  }

  private static Map<String, Object> limit(RateLimit limit) {
    return Map.of("count", limit.count(), "per", PromDuration.format(limit.per()));
  }

  private static String duration(Optional<Duration> duration) {
    return duration.map(PromDuration::format).orElse(null);
  }
}
