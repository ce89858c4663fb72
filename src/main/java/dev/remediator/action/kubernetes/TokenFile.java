package dev.remediator.action.kubernetes;

import dev.remediator.config.ReadFailure;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A bearer token read from a file on every request, so a rotated token (projected service
 * account tokens are replaced hourly) is picked up without a reload. A file that cannot be read
 * fails the request with {@link Unreadable}, which names the file and why.
 */
final class TokenFile implements OAuthTokenProvider {
  private final Path path;
  private volatile String last = "";

  TokenFile(Path path) {
    this.path = Objects.requireNonNull(path, "path");
  }

  @Override
  public String getToken() {
    try {
      String token = Files.readString(path).strip();
      last = token;
      return token;
    } catch (IOException e) {
      throw new Unreadable("cannot read token_file " + path + ": " + ReadFailure.describe(e), e);
    }
  }

  /** The token read last, to keep it out of messages; empty before the first read. */
  String last() {
    return last;
  }

  /** The token file could not be read; the request was not sent. */
  static final class Unreadable extends RuntimeException {
    Unreadable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
