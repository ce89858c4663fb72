package dev.remediator.config;

import java.util.Collection;

/**
 * Takes secrets out of text before it reaches a log line, an error, an audit event or an
 * answer: credentials in URLs, and the known secret values of a target (its token, its
 * password) wherever they appear, such as in a client's echo of a request.
 */
public final class Redaction {
  /** What a secret is replaced with. */
  public static final String MASK = "***";

  private Redaction() {}

  /**
   * {@code url} with the password of its user info ({@code //user:secret@host}) and any
   * {@code password=} parameter masked; works for JDBC, Redis and HTTP URLs.
   */
  public static String url(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1" + MASK)
        .replaceAll("//([^/@:]*):[^/@]*@", "//$1:" + MASK + "@");
  }

  /** {@code text} with every occurrence of each non-blank value of {@code secrets} masked. */
  public static String secrets(String text, Collection<String> secrets) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : secrets) {
      if (secret != null && !secret.isBlank()) {
        out = out.replace(secret, MASK);
      }
    }
    return out;
  }
}
