package dev.remediator.action;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How an action ended. Retryable is a failure that may pass, saying how far the attempt got
 * ({@link Reached}); whether it is repeated is decided in one place, the retry policy, which
 * repeats only what never changed anything or what is idempotent.
 * Results are normalised when built, so recording one can never fail on a missing message: a
 * null output becomes empty, and a missing reason is taken from the cause or stated as missing.
 */
public sealed interface ActionResult {
  /** The message that goes on the remediation row and in its audit event: output or reason. */
  String message();

  /**
   * What the action found before acting and what it changed (counts, pids, revisions, replicas
   * before and after), for the audit event; never a secret. Empty when there is nothing to say.
   */
  default Map<String, Object> facts() {
    return Map.of();
  }

  /** Succeeded, reporting {@code facts} (in their given order) beside the output. */
  record Succeeded(String output, Map<String, Object> facts) implements ActionResult {
    public Succeeded {
      output = output == null ? "" : output;
      facts = ordered(facts);
    }

    public Succeeded(String output) {
      this(output, Map.of());
    }

    @Override
    public String message() {
      return output;
    }
  }

  /**
   * How far a failed attempt got, from the target's point of view: what the retry policy weighs
   * and audits as the reason a repeat is (or is not) safe.
   */
  enum Reached {
    NOTHING("the request never reached the target (connection refused, unknown host or connect timeout)"),
    READS_ONLY("only reads reached the target; nothing was changed"),
    IDEMPOTENT_REQUEST("an idempotent request may have reached the target; repeating it has the same effect"),
    MAYBE_ACTED("a request that changes the target may have reached it and acted");

    private final String meaning;

    Reached(String meaning) {
      this.meaning = meaning;
    }

    /** One sentence for the audit trail. */
    public String meaning() {
      return meaning;
    }
  }

  /** A failure that may pass, and how far the attempt got ({@code reached}). */
  record Retryable(String reason, Throwable cause, Reached reached) implements ActionResult {
    public Retryable {
      reason = reasonOrCause(reason, cause);
      Objects.requireNonNull(reached, "reached");
    }

    @Override
    public String message() {
      return reason;
    }
  }

  /** Failed for good; {@code facts} says what the action had found or done before it failed. */
  record Permanent(String reason, Throwable cause, Map<String, Object> facts) implements ActionResult {
    public Permanent {
      reason = reasonOrCause(reason, cause);
      facts = ordered(facts);
    }

    public Permanent(String reason, Throwable cause) {
      this(reason, cause, Map.of());
    }

    @Override
    public String message() {
      return reason;
    }
  }

  /**
   * The action was not run because a step before it (the alert resolved, say) made it
   * pointless; nothing reached the target.
   */
  record Cancelled(String reason) implements ActionResult {
    public Cancelled {
      reason = reasonOrCause(reason, null);
    }

    @Override
    public String message() {
      return reason;
    }
  }

  private static Map<String, Object> ordered(Map<String, Object> facts) {
    return facts == null || facts.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(facts));
  }

  private static String reasonOrCause(String reason, Throwable cause) {
    if (reason != null && !reason.isBlank()) {
      return reason;
    }
    return cause == null ? "no reason given" : cause.toString();
  }
}
