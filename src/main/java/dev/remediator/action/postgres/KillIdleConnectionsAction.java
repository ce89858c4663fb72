package dev.remediator.action.postgres;

import dev.remediator.action.Action;
import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.action.ParamChecks;
import dev.remediator.config.Redaction;
import dev.remediator.rules.ActionSpec.ParamProblem;
import dev.remediator.rules.ActionSpec;
import dev.remediator.rules.PromDuration;
import dev.remediator.target.Target;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Terminates the client backends of a PostgreSQL server that have been idle longer than the rule
 * says, oldest idle first, at most {@code max}, never its own, through its target's own small
 * pool. Each backend is terminated only if it is still the same process and still idle, so one
 * that woke up in between is spared.
 *
 * <p>Retryable only while nothing has been terminated and the failure is one of reaching the
 * server (connection refused, too many clients, a timeout): repeating then is safe. Once a
 * backend has been terminated, a failure is permanent, so a retry never goes past {@code max}.
 * A role that may not signal the backends it found (no pg_signal_backend) gets a permanent
 * failure that names the missing privilege. A run stops terminating after {@link #TIME_LIMIT}
 * (connect, statement and socket timeouts of the pool bound each step) and says how far it got.
 */
public final class KillIdleConnectionsAction implements Action, AutoCloseable {
  static final Duration TIME_LIMIT = Duration.ofSeconds(30);
  private static final String PERMISSION_DENIED = "42501";

  private final KillIdleConnectionsSpec spec = new KillIdleConnectionsSpec();
  private final Target target;
  private final PostgresPool pool;
  private final Duration timeLimit;

  public KillIdleConnectionsAction(Target target) {
    this(target, TIME_LIMIT);
  }

  /** {@code timeLimit}: how long a run may go on terminating before it stops and says so. */
  KillIdleConnectionsAction(Target target, Duration timeLimit) {
    this.target = Objects.requireNonNull(target, "target");
    this.pool = new PostgresPool(target);
    this.timeLimit = Objects.requireNonNull(timeLimit, "timeLimit");
  }

  @Override
  public ActionSpec spec() {
    return spec;
  }

  @Override
  public ActionResult execute(ActionRequest request) throws InterruptedException {
    List<ParamProblem> problems = spec.validate(request.params());
    if (!problems.isEmpty()) {
      return new ActionResult.Permanent("invalid parameters: " + ParamChecks.summary(problems), null);
    }
    IdleFilter filter = KillIdleConnectionsSpec.filter(request.params());
    long deadline = System.nanoTime() + timeLimit.toNanos();
    Connection connection;
    try {
      connection = pool.connection();
    } catch (PostgresPool.SettingsException e) {
      return new ActionResult.Permanent("target " + target.name() + ": " + e.getMessage(), e.getCause());
    } catch (SQLException e) {
      String reason = "cannot connect to target " + target.name() + " (" + pool.safeUrl() + "): " + message(e);
      return reachable(e) ? new ActionResult.Permanent(reason, e)
          : new ActionResult.Retryable(reason, e, ActionResult.Reached.NOTHING);
    }
    try (connection) {
      return run(connection, filter, deadline);
    } catch (SQLException e) {
      return new ActionResult.Permanent("target " + target.name() + ": closing the connection failed: " + message(e), e);
    }
  }

  private ActionResult run(Connection connection, IdleFilter filter, long deadline) throws InterruptedException {
    IdleBackends.Found found;
    IdleBackends.Visibility visibility;
    try {
      found = IdleBackends.find(connection, filter);
      visibility = IdleBackends.visibility(connection, filter);
    } catch (SQLException e) {
      String reason = "target " + target.name() + ": finding idle connections failed: " + message(e);
      return reachable(e) ? new ActionResult.Permanent(reason, e)
          : new ActionResult.Retryable(reason, e, ActionResult.Reached.READS_ONLY);
    }
    Tally tally = new Tally(found.matching());
    for (IdleBackends.Backend backend : found.backends()) {
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted after terminating " + tally.terminated.size() + " backends");
      }
      if (System.nanoTime() - deadline >= 0) {
        return new ActionResult.Permanent("target " + target.name() + ": stopped at the time limit of "
            + PromDuration.format(timeLimit) + " after terminating " + tally.terminated.size() + " of "
            + found.backends().size(), null, tally.facts(visibility));
      }
      try {
        if (IdleBackends.terminate(connection, backend, filter)) {
          tally.terminated.add(backend);
        } else {
          tally.skipped++;
        }
      } catch (SQLException e) {
        if (PERMISSION_DENIED.equals(e.getSQLState())) {
          return new ActionResult.Permanent("target " + target.name() + ": role " + visibility.role()
              + " may not terminate backend " + backend.pid() + " of role " + backend.user()
              + ": it needs the pg_signal_backend privilege (GRANT pg_signal_backend TO " + visibility.role()
              + "; backends of a superuser only a superuser may terminate): " + message(e)
              + terminatedBefore(tally), e, tally.facts(visibility));
        }
        return new ActionResult.Permanent("target " + target.name() + ": terminating backend " + backend.pid()
            + " failed: " + message(e) + terminatedBefore(tally), e, tally.facts(visibility));
      }
    }
    return new ActionResult.Succeeded(tally.summary(filter, visibility), tally.facts(visibility));
  }

  private static String terminatedBefore(Tally tally) {
    return tally.terminated.isEmpty() ? "" : "; terminated " + tally.terminated.size() + " before this ("
        + pids(tally.terminated) + ")";
  }

  /**
   * Whether the server was reached and answered with an error that repeating will not change
   * (authentication, a missing database, a bad statement); false for failures to reach it at
   * all, a full server or a timed-out statement, after which a retry may succeed.
   */
  private static boolean reachable(SQLException e) {
    String state = rootState(e);
    if (state == null) {
      return false;
    }
    return !(state.startsWith("08") || state.equals("53300") || state.equals("57014") || state.startsWith("57P"));
  }

  private static String rootState(SQLException e) {
    Throwable at = e;
    while (at != null) {
      if (at instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
      at = at.getCause();
    }
    return null;
  }

  /** The error's message, with the cause's when it adds to it, and the target's password masked. */
  private String message(SQLException e) {
    String text = e.getMessage();
    if (e.getCause() != null && e.getCause().getMessage() != null && !text.contains(e.getCause().getMessage())) {
      text = text + ": " + e.getCause().getMessage();
    }
    return Redaction.secrets(text, pool.currentPassword().stream().toList());
  }

  private static String pids(List<IdleBackends.Backend> backends) {
    return (backends.size() == 1 ? "pid " : "pids ")
        + backends.stream().map(backend -> String.valueOf(backend.pid())).collect(Collectors.joining(", "));
  }

  @Override
  public void close() {
    pool.close();
  }

  /** What one run found and did. */
  private static final class Tally {
    final int matching;
    final List<IdleBackends.Backend> terminated = new ArrayList<>();
    int skipped;

    Tally(int matching) {
      this.matching = matching;
    }

    Map<String, Object> facts(IdleBackends.Visibility visibility) {
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("found", matching);
      facts.put("terminated", terminated.size());
      facts.put("pids", terminated.stream().map(IdleBackends.Backend::pid).toList());
      facts.put("users", terminated.stream().map(IdleBackends.Backend::user).toList());
      facts.put("applications", terminated.stream().map(IdleBackends.Backend::application).toList());
      if (skipped > 0) {
        facts.put("spared_busy_or_gone", skipped);
      }
      if (visibility.hidden() > 0) {
        facts.put("hidden", visibility.hidden());
      }
      return facts;
    }

    String summary(IdleFilter filter, IdleBackends.Visibility visibility) {
      StringBuilder text = new StringBuilder();
      if (matching == 0) {
        text.append("no client backend was ").append(filter.describe());
      } else {
        text.append("terminated ").append(terminated.size()).append(" of ").append(matching)
            .append(matching == 1 ? " client backend " : " client backends ").append(filter.describe());
        if (!terminated.isEmpty()) {
          text.append(" (").append(pids(terminated)).append(')');
        }
        if (matching > filter.max()) {
          text.append("; stopped at max ").append(filter.max());
        }
      }
      if (skipped > 0) {
        text.append("; ").append(skipped).append(" became busy or ended before they were terminated");
      }
      if (visibility.hidden() > 0) {
        text.append("; ").append(visibility.hidden())
            .append(visibility.hidden() == 1 ? " backend of another role is" : " backends of other roles are")
            .append(" hidden from role ")
            .append(visibility.role()).append(" (GRANT pg_read_all_stats TO ").append(visibility.role())
            .append(" to see them)");
      }
      return text.toString();
    }
  }
}
