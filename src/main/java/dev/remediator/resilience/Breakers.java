package dev.remediator.resilience;

import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditEvent.Kind;
import dev.remediator.audit.AuditLog;
import dev.remediator.rules.BreakerSettings;
import dev.remediator.rules.PromDuration;
import dev.remediator.rules.RuleSet;
import dev.remediator.store.BreakerCalls;
import dev.remediator.store.BreakerKey;
import dev.remediator.store.BreakerRow;
import dev.remediator.store.BreakerState;
import dev.remediator.store.BreakerStore;
import dev.remediator.store.ClaimedRemediation;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The circuit breakers of actions on targets, kept in the store so that every replica sees one
 * state and a restart keeps it. A breaker opens when at least {@code min_calls} calls finished
 * within its window and at least {@code failure_rate} of them failed; it stays open
 * {@code open_for}, then lets one trial call through: a trial that succeeds closes it, one that
 * fails opens it again. A rule's {@code ineffective_after} opens a breaker of one alert group
 * when the group fires again after that many successful remediations in the window.
 *
 * <p>Every change happens under the breaker's row lock, in the transaction of what caused it
 * (an outcome, a claim about to run, a reset), and is audited there with the counts behind it.
 */
public final class Breakers {
  private final BreakerStore store;
  private final AuditLog audit;

  public Breakers(BreakerStore store, AuditLog audit) {
    this.store = store;
    this.audit = audit;
  }

  /** The settings remediations of {@code rule} on {@code target} run under; the target's when the rule is gone. */
  public static BreakerSettings settings(RuleSet rules, String rule, String target) {
    return rules.rule(rule).map(rules::breaker).orElse(rules.breaker(target));
  }

  /** The state {@code row} is in at {@code now}: an open breaker whose time is up is half open. */
  public static BreakerState effective(BreakerRow row, Instant now) {
    if (row.state() == BreakerState.OPEN && !now.isBefore(row.openUntil())) {
      return BreakerState.HALF_OPEN;
    }
    return row.state();
  }

  /**
   * Whether a call under {@code keys} may be decided now, read without locking: refused while
   * any of them is open, or half open with its trial call still to finish.
   */
  public Admission peek(Connection connection, List<BreakerKey> keys, Instant now) throws SQLException {
    Admission answer = Admission.allow("breaker closed");
    for (BreakerKey key : keys) {
      Optional<BreakerRow> row = store.find(connection, key);
      if (row.isEmpty()) {
        continue;
      }
      Admission admission = peek(connection, row.get(), now);
      if (!admission.allowed()) {
        return admission;
      }
      if (effective(row.get(), now) != BreakerState.CLOSED) {
        answer = admission;
      }
    }
    return answer;
  }

  private Admission peek(Connection connection, BreakerRow row, Instant now) throws SQLException {
    BreakerState state = effective(row, now);
    if (state == BreakerState.OPEN) {
      return Admission.refuse("breaker open until " + row.openUntil() + describe(row.key()));
    }
    if (state == BreakerState.HALF_OPEN && row.trialRemediationId() != null
        && store.inProgress(connection, row.trialRemediationId())) {
      return Admission.refuse("breaker half open: its trial call, remediation " + row.trialRemediationId()
          + ", has not finished" + describe(row.key()));
    }
    return state == BreakerState.HALF_OPEN
        ? Admission.allow("breaker half open: the next call is its trial" + describe(row.key()))
        : Admission.allow("breaker closed");
  }

  /**
   * Decides, under the rows' locks, whether {@code claim} may run now: the (action, target)
   * breaker first, then its rule's alert group breaker when the rule has {@code ineffective_after}.
   * A half-open breaker takes the claim as its one trial call. An alert group that fires again
   * after {@code ineffectiveAfter} successes in the window has its breaker opened here.
   */
  public Admission admit(Connection connection, ClaimedRemediation claim, BreakerSettings settings,
                         OptionalInt ineffectiveAfter, String actor, Instant now) throws SQLException {
    Admission shared = admit(connection, claim, store.lock(connection, BreakerKey.of(claim.action(), claim.target()),
        now), actor, now);
    if (!shared.allowed() || ineffectiveAfter.isEmpty()) {
      return shared;
    }
    Optional<String> group = store.groupOf(connection, claim.id());
    if (group.isEmpty()) {
      return shared;
    }
    BreakerRow row = store.lock(connection, BreakerKey.ofGroup(claim.action(), claim.target(), claim.rule(),
        group.get()), now);
    if (effective(row, now) != BreakerState.CLOSED) {
      return admit(connection, claim, row, actor, now);
    }
    int successes = store.successes(connection, row.key(), since(row, settings, now), claim.id());
    int limit = ineffectiveAfter.getAsInt();
    if (successes < limit) {
      return Admission.allow("breaker closed");
    }
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("successes", successes);
    counts.put("ineffectiveAfter", limit);
    String why = "alert group " + group.get() + " of rule " + claim.rule() + " still fires after " + successes
        + " successful remediations within " + PromDuration.format(settings.window());
    Opening opening = open(connection, claim, row, settings, why, counts, actor, now);
    return new Admission(false, "breaker open until " + opening.until() + ": " + why, List.of(opening));
  }

  private Admission admit(Connection connection, ClaimedRemediation claim, BreakerRow row, String actor, Instant now)
      throws SQLException {
    Admission peeked = peek(connection, row, now);
    if (!peeked.allowed() || effective(row, now) == BreakerState.CLOSED) {
      return peeked;
    }
    if (row.trialRemediationId() != null && row.trialRemediationId() == claim.id()) {
      return Admission.allow("the breaker's trial call" + describe(row.key()));
    }
    BreakerRow half = row.halfOpen(claim.id(), now);
    store.save(connection, half);
    Map<String, Object> detail = detail(row.key(), row.state(), BreakerState.HALF_OPEN);
    detail.put("trialRemediationId", claim.id());
    detail.put("openedAt", String.valueOf(row.openedAt()));
    audit.append(connection, List.of(AuditEvent.forRemediation(now, Kind.BREAKER_HALF_OPENED, actor, claim.alert(),
        claim.ref(), BreakerState.HALF_OPEN.wireName(), detail)));
    return Admission.allow("the breaker's trial call" + describe(row.key()));
  }

  /**
   * Counts the outcome of {@code claim}, already written in this transaction, against its
   * breakers: a trial call closes or reopens its breaker; a closed (action, target) breaker opens
   * once enough of its calls in the window failed. Returns the breakers that opened.
   */
  public List<Opening> afterOutcome(Connection connection, ClaimedRemediation claim, boolean failed,
                                    BreakerSettings settings, String actor, Instant now) throws SQLException {
    List<Opening> openings = new ArrayList<>();
    BreakerRow shared = store.lock(connection, BreakerKey.of(claim.action(), claim.target()), now);
    if (isTrial(shared, claim)) {
      settleTrial(connection, claim, shared, failed, settings, actor, now).ifPresent(openings::add);
    } else if (shared.state() == BreakerState.CLOSED) {
      BreakerCalls calls = store.calls(connection, claim.action(), claim.target(), since(shared, settings, now));
      if (calls.calls() >= settings.minCalls() && calls.failureRate() >= settings.failureRate()) {
        String why = calls.failures() + " of " + calls.calls() + " calls of " + claim.action() + " on "
            + claim.target() + " failed within " + PromDuration.format(settings.window());
        openings.add(open(connection, claim, shared, settings, why, counts(calls, settings), actor, now));
      }
    }
    Optional<String> group = store.groupOf(connection, claim.id());
    if (group.isPresent()) {
      BreakerKey key = BreakerKey.ofGroup(claim.action(), claim.target(), claim.rule(), group.get());
      Optional<BreakerRow> row = store.find(connection, key);
      if (row.isPresent() && isTrial(row.get(), claim)) {
        settleTrial(connection, claim, store.lock(connection, key, now), failed, settings, actor, now)
            .ifPresent(openings::add);
      }
    }
    return openings;
  }

  private Optional<Opening> settleTrial(Connection connection, ClaimedRemediation claim, BreakerRow row,
                                        boolean failed, BreakerSettings settings, String actor, Instant now)
      throws SQLException {
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("trialRemediationId", claim.id());
    if (failed) {
      return Optional.of(open(connection, claim, row, settings, "the trial call, remediation " + claim.id()
          + ", failed", counts, actor, now));
    }
    store.save(connection, row.closedAt(now));
    Map<String, Object> detail = detail(row.key(), row.state(), BreakerState.CLOSED);
    detail.putAll(counts);
    detail.put("why", "the trial call, remediation " + claim.id() + ", succeeded");
    audit.append(connection, List.of(AuditEvent.forRemediation(now, Kind.BREAKER_CLOSED, actor, claim.alert(),
        claim.ref(), BreakerState.CLOSED.wireName(), detail)));
    return Optional.empty();
  }

  private Opening open(Connection connection, ClaimedRemediation claim, BreakerRow row, BreakerSettings settings,
                       String why, Map<String, Object> counts, String actor, Instant now) throws SQLException {
    Instant until = now.plus(settings.openFor());
    store.save(connection, row.opened(now, until));
    Map<String, Object> detail = detail(row.key(), row.state(), BreakerState.OPEN);
    detail.putAll(counts);
    detail.put("openUntil", until.toString());
    detail.put("why", why);
    audit.append(connection, List.of(AuditEvent.forRemediation(now, Kind.BREAKER_OPENED, actor, claim.alert(),
        claim.ref(), BreakerState.OPEN.wireName(), detail)));
    return new Opening(row.key(), until, "breaker opened until " + until + ": " + why, counts);
  }

  /**
   * Closes every breaker of {@code action} on {@code target}, its alert groups' included, and
   * counts afresh from now; audited with {@code actor} and {@code reason}. Returns how many there
   * were: 0 means the (action, target) has no breaker.
   */
  public int reset(Connection connection, String action, String target, String actor, String reason, Instant now)
      throws SQLException {
    List<BreakerRow> rows = store.lockAll(connection, action, target);
    List<AuditEvent> events = new ArrayList<>();
    for (BreakerRow row : rows) {
      store.save(connection, row.closedAt(now));
      Map<String, Object> detail = detail(row.key(), effective(row, now), BreakerState.CLOSED);
      if (reason != null) {
        detail.put("reason", reason);
      }
      events.add(AuditEvent.forBreaker(now, Kind.BREAKER_RESET, actor, action, target,
          row.key().isGroup() ? row.key().rule() : null, BreakerState.CLOSED.wireName(), detail));
    }
    audit.append(connection, events);
    return rows.size();
  }

  /** Every breaker as it stands at {@code now}, with the settings {@code rules} give it. */
  public List<BreakerView> list(Connection connection, RuleSet rules, Instant now) throws SQLException {
    List<BreakerView> views = new ArrayList<>();
    for (BreakerRow row : store.all(connection)) {
      BreakerKey key = row.key();
      BreakerSettings settings = key.isGroup()
          ? settings(rules, key.rule(), key.target()) : rules.breaker(key.target());
      Instant since = since(row, settings, now);
      BreakerCalls calls = key.isGroup()
          ? new BreakerCalls(store.successes(connection, key, since, 0), 0)
          : store.calls(connection, key.action(), key.target(), since);
      views.add(new BreakerView(key, effective(row, now), calls.failures(), calls.calls(), row.openedAt(),
          row.openUntil(), settings));
    }
    return views;
  }

  private static boolean isTrial(BreakerRow row, ClaimedRemediation claim) {
    return row.state() == BreakerState.HALF_OPEN && row.trialRemediationId() != null
        && row.trialRemediationId() == claim.id();
  }

  /** Where the breaker's window starts: {@code window} ago, or when it last closed if that is later. */
  private static Instant since(BreakerRow row, BreakerSettings settings, Instant now) {
    Instant windowStart = now.minus(settings.window());
    return row.countedFrom().isAfter(windowStart) ? row.countedFrom() : windowStart;
  }

  private static Map<String, Object> counts(BreakerCalls calls, BreakerSettings settings) {
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("calls", calls.calls());
    counts.put("failures", calls.failures());
    counts.put("failureRate", calls.failureRate());
    counts.put("threshold", settings.failureRate());
    counts.put("minCalls", settings.minCalls());
    counts.put("window", PromDuration.format(settings.window()));
    return counts;
  }

  private static Map<String, Object> detail(BreakerKey key, BreakerState from, BreakerState to) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("breaker", key.isGroup() ? Map.of("action", key.action(), "target", key.target(), "rule", key.rule(),
        "group", key.group()) : Map.of("action", key.action(), "target", key.target()));
    detail.put("from", from.wireName());
    detail.put("to", to.wireName());
    return detail;
  }

  private static String describe(BreakerKey key) {
    return key.isGroup() ? " (alert group " + key.group() + " of rule " + key.rule() + ")"
        : " (" + key.action() + " on " + key.target() + ")";
  }
}
