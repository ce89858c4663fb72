package dev.remediator.action;

import dev.remediator.rules.RuleSet;
import dev.remediator.target.Target;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runnable actions of a running server, one per (action, target) of the rules in force, each
 * with the clients its module derived for that target. When the rules change (a reload), the
 * next use builds a new generation and swaps it in atomically; the old one is closed once the
 * last action running on it returns.
 */
public final class TargetClients implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TargetClients.class);

  private final List<ActionModule> modules;
  private final SharedClients shared;
  private final Supplier<RuleSet> rules;
  private final AtomicReference<Generation> current = new AtomicReference<>();
  private volatile boolean closed;

  public TargetClients(List<? extends ActionModule> modules, SharedClients shared, Supplier<RuleSet> rules) {
    ActionModules.specs(modules);
    this.modules = List.copyOf(modules);
    this.shared = Objects.requireNonNull(shared, "shared");
    this.rules = Objects.requireNonNull(rules, "rules");
  }

  /**
   * Runs {@code action} on {@code target} of the rules in force, with the request built for that
   * target; a Permanent result when either is unknown. The clients stay open until it returns.
   */
  public ActionResult execute(String action, String target, Function<Target, ActionRequest> request)
      throws InterruptedException {
    Generation generation = acquire();
    try {
      Target found = generation.rules.targets().get(target);
      if (found == null) {
        return new ActionResult.Permanent("target " + target + " is no longer defined in "
            + generation.rules.source(), null);
      }
      Action runnable = generation.actions.get(new Key(action, target));
      if (runnable == null) {
        return new ActionResult.Permanent("action " + action + " is not available for target " + target
            + " (kind " + found.kind().wireName() + ")", null);
      }
      return runnable.execute(request.apply(found));
    } finally {
      generation.release();
    }
  }

  /**
   * Pins the state {@code action} on {@code target} would act from, if it is a {@link Pinning}
   * action; empty for actions that need no pin and for unknown actions or targets (execution
   * reports those).
   */
  public Optional<Map<String, Object>> pin(String action, String target, Map<String, Object> params)
      throws Pinning.PinException, InterruptedException {
    Generation generation = acquire();
    try {
      Target found = generation.rules.targets().get(target);
      if (found == null || !(generation.actions.get(new Key(action, target)) instanceof Pinning pinning)) {
        return Optional.empty();
      }
      return Optional.of(pinning.pin(found, params));
    } finally {
      generation.release();
    }
  }

  /** The generation for the rules in force, held for one use; builds and swaps in a new one after a reload. */
  private Generation acquire() {
    while (true) {
      if (closed) {
        throw new IllegalStateException("target clients are closed");
      }
      RuleSet inForce = rules.get();
      Generation generation = current.get();
      if (generation == null || generation.rules != inForce) {
        Generation built = new Generation(inForce, open(inForce));
        if (!current.compareAndSet(generation, built)) {
          built.release();
          continue;
        }
        if (generation != null) {
          generation.release();
        }
        generation = built;
      }
      if (generation.tryAcquire()) {
        return generation;
      }
    }
  }

  private Map<Key, Action> open(RuleSet ruleSet) {
    Map<Key, Action> actions = new HashMap<>();
    for (Target target : ruleSet.targets().values()) {
      for (ActionModule module : modules) {
        if (module.targetKind() == target.kind()) {
          actions.put(new Key(module.spec().name(), target.name()), module.open(target, shared));
        }
      }
    }
    return actions;
  }

  /** Closes the clients in force; actions still running keep theirs until they return. */
  @Override
  public void close() {
    closed = true;
    Generation last = current.getAndSet(null);
    if (last != null) {
      last.release();
    }
  }

  private record Key(String action, String target) {}

  /** One rule set's actions, counted while in force (one) and while in use (one per running action). */
  private static final class Generation {
    final RuleSet rules;
    final Map<Key, Action> actions;
    private final AtomicInteger holders = new AtomicInteger(1);

    Generation(RuleSet rules, Map<Key, Action> actions) {
      this.rules = rules;
      this.actions = Map.copyOf(actions);
    }

    boolean tryAcquire() {
      while (true) {
        int count = holders.get();
        if (count == 0) {
          return false;
        }
        if (holders.compareAndSet(count, count + 1)) {
          return true;
        }
      }
    }

    void release() {
      if (holders.decrementAndGet() == 0) {
        for (Action action : actions.values()) {
          if (action instanceof AutoCloseable closeable) {
            try {
              closeable.close();
            } catch (Exception e) {
              log.warn("closing the clients of {} failed: {}", action.spec().name(), e.toString());
            }
          }
        }
      }
    }
  }
}
