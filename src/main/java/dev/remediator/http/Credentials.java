package dev.remediator.http;

import java.util.Set;

/**
 * Which roles an Authorization header grants. The web page signs people in with the same check
 * the API makes, so a token means the same thing in a browser as in {@code curl}.
 */
public interface Credentials {
  /** The roles {@code authorization} (null when absent) grants; empty for a missing or wrong one. */
  Set<Role> granted(String authorization);
}
