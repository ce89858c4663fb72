package dev.remediator.action.http;

import dev.remediator.config.ReadFailure;
import dev.remediator.target.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A target's bearer token: its {@code token} setting, else the contents of its {@code token_file},
 * read again on every call so a rotated token takes effect without a reload. Messages name the
 * target and the file, never the token.
 */
public final class BearerToken {
  private BearerToken() {}

  /** The token, or empty when the target sets neither {@code token} nor {@code token_file}. */
  public static Optional<String> read(Target target) throws Unavailable {
    String token = target.setting("token");
    if (!token.isEmpty()) {
      return Optional.of(checked(target, "token", token));
    }
    String file = target.setting("token_file");
    if (file.isEmpty()) {
      return Optional.empty();
    }
    String contents;
    try {
      contents = Files.readString(Path.of(file)).strip();
    } catch (IOException | InvalidPathException e) {
      throw new Unavailable("target " + target.name() + ": cannot read token_file " + file + ": "
          + ReadFailure.describe(e), e);
    }
    if (contents.isEmpty()) {
      throw new Unavailable("target " + target.name() + ": token_file " + file + " is empty", null);
    }
    return Optional.of(checked(target, "token_file " + file, contents));
  }

  /** The {@code Authorization} header value for {@code token}. */
  public static String header(String token) {
    return "Bearer " + token;
  }

  /** A token OkHttp would refuse in a header is reported here, without its value. */
  private static String checked(Target target, String source, String token) throws Unavailable {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new Unavailable("target " + target.name() + ": the token from " + source
            + " contains a character not allowed in an HTTP header (position " + (i + 1) + ")", null);
      }
    }
    return token;
  }

  /** Why there is no token to send. */
  public static final class Unavailable extends Exception {
    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
