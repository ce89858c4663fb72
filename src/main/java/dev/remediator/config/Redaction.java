package dev.remediator.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Takes secrets out of text before it reaches a log line, an error, an audit event or an
 * answer: credentials in URLs, and the known secret values of a target (its token, its
 * password) wherever they appear, such as in a client's echo of a request.
 */
public final class Redaction {
  /** What a secret is replaced with. */
  public static final String MASK = "***";
  /** Keys whose values are secrets whatever they hold: passwords, tokens, keys, authorization headers. */
  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(password|passwd|token|secret|authorization|api[_-]?key|credential).*");

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

  /**
   * A copy of {@code value} (strings, numbers, lists and maps, as rendered parameters are) safe to
   * show: the value under any key that names a secret is masked whole, and every string has the
   * credentials of any URL in it masked.
   */
  public static Object structure(Object value) {
    if (value instanceof String text) {
      return url(text);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> masked = new LinkedHashMap<>();
      map.forEach((key, inner) -> masked.put(String.valueOf(key),
          SECRET_KEY.matcher(String.valueOf(key).toLowerCase(Locale.ROOT)).matches() && inner != null
              ? MASK : structure(inner)));
      return masked;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(Redaction::structure).toList();
    }
    return value;
  }
}
