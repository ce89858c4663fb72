package dev.remediator.rules;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/** How a rule checks, after acting, that its action helped; {@link #within()} is the deadline. */
public sealed interface Verification {
  Duration within();

  /** The alert's resolved notification arrives within {@code within}. */
  record ResolvedWithin(Duration within) implements Verification {
    public ResolvedWithin {
      Objects.requireNonNull(within, "within");
    }
  }

  /** The PromQL expression meets its expectation at some evaluation within {@code within}. */
  record Query(PromCheck check, Duration within) implements Verification {
    public Query {
      Objects.requireNonNull(check, "check");
      Objects.requireNonNull(within, "within");
    }
  }

  /** A GET of {@code url} (fixed in the rules file, never from labels) answers {@code status} within {@code within}. */
  record HttpGet(URI url, int status, Duration within) implements Verification {
    public HttpGet {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(within, "within");
    }
  }
}
