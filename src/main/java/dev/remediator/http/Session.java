package dev.remediator.http;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A signed-in browser: the random id its cookie carries, the role its token granted (never the
 * token itself), the token that state-changing requests must echo in {@code X-CSRF-Token}, and
 * when it ends.
 */
public record Session(String id, Role role, String csrfToken, Instant expiresAt) {
  public Session {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(csrfToken, "csrfToken");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (role != Role.VIEWER && role != Role.OPERATOR) {
      throw new IllegalArgumentException("a session is for a viewer or an operator, not " + role);
    }
  }

  /** The roles this session grants: an operator is also a viewer. */
  public Set<Role> granted() {
    return role == Role.OPERATOR ? Set.of(Role.OPERATOR, Role.VIEWER) : Set.of(Role.VIEWER);
  }
}
