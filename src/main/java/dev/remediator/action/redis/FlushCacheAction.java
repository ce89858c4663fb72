package dev.remediator.action.redis;

import dev.remediator.action.Action;
import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.action.ParamChecks;
import dev.remediator.config.Redaction;
import dev.remediator.rules.ActionSpec.ParamProblem;
import dev.remediator.rules.ActionSpec;
import dev.remediator.rules.PromDuration;
import dev.remediator.target.Target;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.FlushMode;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Deletes cache keys on a Redis target: the keys matching a pattern, found with SCAN (never
 * KEYS) and deleted with UNLINK in batches, at most {@code max_keys}; or, only when the rule says
 * {@code scope: db}, the whole logical db of the target's URL with FLUSHDB ASYNC.
 *
 * <p>A failure before anything was deleted is retryable when the server could not be reached
 * (connection refused, a timeout) and permanent when it answered with an error (a wrong password,
 * no permission). Once an UNLINK or the FLUSHDB has been sent, every failure is permanent: the
 * command may have acted, and a flush is not repeated blindly; the facts say how far it got.
 * Deleting by pattern stops after {@link #TIME_LIMIT} and says how far it got. Messages name
 * the target, host, port and db, never the URL or its password.
 */
public final class FlushCacheAction implements Action, AutoCloseable {
  /** Told after every UNLINK batch how many keys have been deleted so far. */
  interface Progress {
    void deleted(long keysSoFar);
  }

  /** How long deleting by pattern may go on: below the engine's default time limit of 60s. */
  static final Duration TIME_LIMIT = Duration.ofSeconds(30);

  private final FlushCacheSpec spec = new FlushCacheSpec();
  private final Target target;
  private final RedisPool pool;
  private final Duration timeLimit;
  private final Progress progress;

  public FlushCacheAction(Target target) {
    this(target, TIME_LIMIT, keys -> { });
  }

  /**
   * @param timeLimit how long deleting by pattern may go on before it stops and says how far it got
   * @param progress told after every UNLINK batch
   */
  FlushCacheAction(Target target, Duration timeLimit, Progress progress) {
    this.target = Objects.requireNonNull(target, "target");
    this.timeLimit = Objects.requireNonNull(timeLimit, "timeLimit");
    this.progress = Objects.requireNonNull(progress, "progress");
    this.pool = new RedisPool(target, "remediator-flush_cache-" + target.name());
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
    RedisEndpoint endpoint;
    Jedis jedis;
    try {
      endpoint = pool.endpoint();
      jedis = pool.connection();
    } catch (RedisPool.SettingsException e) {
      return new ActionResult.Permanent("target " + target.name() + ": " + e.getMessage(), e.getCause());
    } catch (JedisException e) {
      return beforeActing(describe(), e);
    }
    try (jedis) {
      FlushCacheSpec.Flush flush = FlushCacheSpec.flush(request.params());
      if (flush instanceof FlushCacheSpec.ByPattern byPattern) {
        return deleteMatching(jedis, endpoint, byPattern);
      }
      return flushDb(jedis, endpoint);
    }
  }

  private ActionResult deleteMatching(Jedis jedis, RedisEndpoint endpoint, FlushCacheSpec.ByPattern flush)
      throws InterruptedException {
    ScanParams params = new ScanParams().match(flush.pattern()).count(flush.batch());
    long deadline = System.nanoTime() + timeLimit.toNanos();
    String cursor = ScanParams.SCAN_POINTER_START;
    long scanned = 0;
    long deleted = 0;
    boolean started = false;
    boolean capped = false;
    try {
      scan:
      do {
        if (Thread.interrupted()) {
          throw new InterruptedException("flush_cache interrupted after deleting " + deleted + " keys");
        }
        ScanResult<String> page = jedis.scan(cursor, params);
        List<String> keys = page.getResult();
        scanned += keys.size();
        cursor = page.getCursor();
        int from = 0;
        while (from < keys.size()) {
          long room = flush.maxKeys() - deleted;
          if (room <= 0) {
            capped = true;
            break scan;
          }
          int to = (int) Math.min(keys.size(), from + Math.min(flush.batch(), room));
          started = true;
          deleted += jedis.unlink(keys.subList(from, to).toArray(String[]::new));
          progress.deleted(deleted);
          from = to;
        }
        if (deleted >= flush.maxKeys() && !cursor.equals(ScanParams.SCAN_POINTER_START)) {
          capped = true;
          break;
        }
        if (!cursor.equals(ScanParams.SCAN_POINTER_START) && System.nanoTime() - deadline >= 0) {
          return new ActionResult.Permanent("target " + target.name() + " (" + endpoint.describe()
              + "): stopped at the time limit of " + PromDuration.format(timeLimit) + " after deleting " + deleted
              + " keys matching " + ParamChecks.describe(flush.pattern()) + "; more keys may match", null,
              patternFacts(flush, endpoint, scanned, deleted, false));
        }
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    } catch (JedisException e) {
      if (!started) {
        return beforeActing(endpoint.describe(), e);
      }
      String after = "after deleting " + deleted + " keys matching " + ParamChecks.describe(flush.pattern());
      String reason = isAnswer(e)
          ? " refused a command " + after + ": "
          : ": flush_cache failed " + after + "; not retried, since the last UNLINK may have acted: ";
      return new ActionResult.Permanent("target " + target.name() + " (" + endpoint.describe() + ")" + reason
          + message(e), e, patternFacts(flush, endpoint, scanned, deleted, false));
    }
    String text = "deleted " + deleted + " of " + scanned + " keys scanned matching "
        + ParamChecks.describe(flush.pattern()) + " in db " + endpoint.db()
        + (capped ? "; stopped at max_keys " + flush.maxKeys() + ", more keys may match" : "");
    return new ActionResult.Succeeded(text, patternFacts(flush, endpoint, scanned, deleted, capped));
  }

  private ActionResult flushDb(Jedis jedis, RedisEndpoint endpoint) {
    long before;
    try {
      before = jedis.dbSize();
    } catch (JedisException e) {
      return beforeActing(endpoint.describe(), e);
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("scope", "db");
    facts.put("db", endpoint.db());
    facts.put("keys_before", before);
    try {
      jedis.flushDB(FlushMode.ASYNC);
    } catch (JedisException e) {
      return new ActionResult.Permanent("target " + target.name() + " (" + endpoint.describe()
          + "): FLUSHDB ASYNC failed; not retried, since it may have acted: " + message(e), e, facts);
    }
    return new ActionResult.Succeeded("flushed db " + endpoint.db() + " (FLUSHDB ASYNC), which held " + before
        + " keys", facts);
  }

  /**
   * A failure before anything was deleted: retryable when the server was not reached (or the
   * pool had no connection to spare), permanent when it answered with an error.
   */
  private ActionResult beforeActing(String where, JedisException e) {
    if (isAnswer(e)) {
      return new ActionResult.Permanent("target " + target.name() + " (" + where + ") refused: " + message(e), e);
    }
    return new ActionResult.Retryable("cannot reach target " + target.name() + " (" + where + "): " + message(e), e,
        ActionResult.Reached.READS_ONLY);
  }

  private static boolean isAnswer(Throwable e) {
    for (Throwable at = e; at != null; at = at.getCause()) {
      if (at instanceof JedisDataException) {
        return true;
      }
      if (at instanceof JedisConnectionException) {
        return false;
      }
    }
    return false;
  }

  /** Where the target points, for a failure before its URL could be parsed. */
  private String describe() {
    try {
      return pool.endpoint().describe();
    } catch (RedisPool.SettingsException e) {
      return "url not readable";
    }
  }

  /**
   * The error's message and those of its causes and suppressed errors (where Jedis keeps why
   * each address failed, e.g. "Connection refused"), with the target's password masked.
   */
  private String message(Throwable e) {
    StringBuilder text = new StringBuilder();
    append(text, e, 0);
    return Redaction.secrets(text.toString(), pool.currentPassword().stream().toList());
  }

  private static void append(StringBuilder text, Throwable e, int depth) {
    if (e == null || depth > 5) {
      return;
    }
    String part = e.getMessage();
    if (part != null && !part.isBlank() && text.indexOf(part) < 0) {
      text.append(text.length() == 0 ? "" : ": ").append(part);
    }
    for (Throwable suppressed : e.getSuppressed()) {
      append(text, suppressed, depth + 1);
    }
    append(text, e.getCause(), depth + 1);
  }

  private static Map<String, Object> patternFacts(FlushCacheSpec.ByPattern flush, RedisEndpoint endpoint,
                                                  long scanned, long deleted, boolean capped) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("pattern", flush.pattern());
    facts.put("db", endpoint.db());
    facts.put("keys_scanned", scanned);
    facts.put("keys_deleted", deleted);
    facts.put("stopped_at_cap", capped);
    return facts;
  }

  @Override
  public void close() {
    pool.close();
  }
}
