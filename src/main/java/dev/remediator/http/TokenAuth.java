package dev.remediator.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks the Authorization header that Alertmanager sends with each webhook. The secret is a
 * bearer token or, when it contains a colon, {@code user:password} for Basic auth (its Bearer
 * form is accepted too). Without a secret the webhook is open. Credentials are compared as
 * SHA-256 digests in constant time, so neither content nor length leaks through timing.
 */
public final class TokenAuth {
  private final boolean open;
  private final boolean basicAllowed;
  private final byte[] secretDigest;

  public TokenAuth(Optional<String> secret) {
    Objects.requireNonNull(secret, "secret");
    this.open = secret.isEmpty();
    String value = secret.orElse(null);
    if (value != null && value.isEmpty()) {
      throw new IllegalArgumentException("webhook secret must not be empty; leave it unset to accept every request");
    }
    this.basicAllowed = value != null && value.indexOf(':') >= 0;
    this.secretDigest = value == null ? null : sha256(value.getBytes(StandardCharsets.UTF_8));
  }

  /** True when no secret is configured and every request is permitted. */
  public boolean isOpen() {
    return open;
  }

  /** Whether a request with this Authorization header (null when absent) may proceed. */
  public boolean permits(String authorizationHeader) {
    if (open) {
      return true;
    }
    if (authorizationHeader == null) {
      return false;
    }
    String header = authorizationHeader.strip();
    int space = header.indexOf(' ');
    if (space <= 0) {
      return false;
    }
    String scheme = header.substring(0, space);
    String credentials = header.substring(space + 1).strip();
    if (credentials.isEmpty()) {
      return false;
    }
    if (scheme.equalsIgnoreCase("Bearer")) {
      return matches(credentials.getBytes(StandardCharsets.UTF_8));
    }
    if (scheme.equalsIgnoreCase("Basic") && basicAllowed) {
      try {
        return matches(Base64.getDecoder().decode(credentials));
      } catch (IllegalArgumentException notBase64) {
        return false;
      }
    }
    return false;
  }

  private boolean matches(byte[] presented) {
    return MessageDigest.isEqual(sha256(presented), secretDigest);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return open ? "TokenAuth[open]" : basicAllowed ? "TokenAuth[basic or bearer]" : "TokenAuth[bearer]";
  }
}
