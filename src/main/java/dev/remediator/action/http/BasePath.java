package dev.remediator.action.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * Resolves a rule's request path against an http target's {@code base_url}, so a request can
 * only go where the target points: the same scheme, host and port, under the base URL's path. The
 * path is appended to that base path ({@code /restart} on {@code https://deploy.internal/api/v1}
 * is {@code https://deploy.internal/api/v1/restart}) and may carry a query. A path that could
 * reach anything else is refused before anything is sent: an absolute URL, {@code //host}, a
 * {@code .} or {@code ..} segment (also percent-encoded, also encoded twice), a backslash, a
 * control character or a fragment; and the built URL is checked against the base once more.
 */
public final class BasePath {
  /** How often a path may be percent-encoded over itself before it is refused as an evasion. */
  private static final int DECODE_ROUNDS = 3;

  private BasePath() {}

  /** The target's {@code base_url}: an http or https URL without query or fragment. */
  public static HttpUrl base(String setting) throws Refused {
    HttpUrl base = HttpUrl.parse(setting);
    if (base == null) {
      throw new Refused("base_url must be an http or https URL");
    }
    if (base.encodedQuery() != null || base.encodedFragment() != null) {
      throw new Refused("base_url must not have a query or a fragment");
    }
    return base;
  }

  /** {@code path} (and its query, if any) under {@code base}; {@link Refused} says which rule it breaks. */
  public static HttpUrl resolve(HttpUrl base, String path) throws Refused {
    Optional<String> problem = problem(path);
    if (problem.isPresent()) {
      throw new Refused(problem.get());
    }
    int question = path.indexOf('?');
    String pathPart = question < 0 ? path : path.substring(0, question);
    String query = question < 0 ? null : path.substring(question + 1);
    String prefix = prefix(base);
    HttpUrl url;
    try {
      url = base.newBuilder().encodedPath(prefix + pathPart.substring(1)).encodedQuery(query).fragment(null).build();
    } catch (IllegalArgumentException e) {
      throw new Refused("must be a valid URL path");
    }
    if (!url.scheme().equals(base.scheme()) || !url.host().equals(base.host()) || url.port() != base.port()
        || !url.encodedPath().startsWith(prefix)) {
      throw new Refused("must stay under the base URL's path " + prefix);
    }
    return url;
  }

  /**
   * Why {@code path} would be refused, judging only its own text; empty when it may be resolved.
   * The rules check runs it on a path whose templates are filled with a placeholder.
   */
  public static Optional<String> problem(String path) {
    if (path.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (path.contains("://") && !path.startsWith("/")) {
      return Optional.of("must be a path, not an absolute URL: the host comes from the target's base_url");
    }
    if (!path.startsWith("/")) {
      return Optional.of("must start with \"/\"");
    }
    if (path.startsWith("//")) {
      return Optional.of("must not start with \"//\", which would name another host");
    }
    Optional<String> raw = characterProblem(path, "");
    if (raw.isPresent()) {
      return raw;
    }
    int question = path.indexOf('?');
    String decoded = question < 0 ? path : path.substring(0, question);
    for (int round = 0; round <= DECODE_ROUNDS; round++) {
      String suffix = round == 0 ? "" : ", even percent-encoded";
      Optional<String> found = characterProblem(decoded, suffix);
      if (found.isPresent()) {
        return found;
      }
      for (String segment : decoded.split("/", -1)) {
        if (segment.equals(".") || segment.equals("..")) {
          return Optional.of("must not contain a \".\" or \"..\" segment" + suffix);
        }
      }
      String next = percentDecode(decoded);
      if (next.equals(decoded)) {
        return Optional.empty();
      }
      decoded = next;
    }
    return Optional.of("must not be percent-encoded more than " + DECODE_ROUNDS + " times over");
  }

  /** The base URL's path with one trailing slash: every resolved path starts with it. */
  static String prefix(HttpUrl base) {
    String path = base.encodedPath();
    return path.endsWith("/") ? path : path + "/";
  }

  private static Optional<String> characterProblem(String text, String suffix) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        return Optional.of("must not contain a backslash" + suffix);
      }
      if (c < 0x20 || c == 0x7f) {
        return Optional.of("must not contain control characters" + suffix);
      }
      if (c == '#') {
        return Optional.of("must not contain a fragment (#)" + suffix);
      }
    }
    return Optional.empty();
  }

  /** {@code text} with each valid {@code %XX} decoded (as UTF-8); anything else kept as it is. */
  private static String percentDecode(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0 && hex(text.charAt(i + 2)) >= 0) {
        bytes.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
        i += 3;
      } else {
        int end = Character.charCount(text.codePointAt(i));
        bytes.writeBytes(text.substring(i, i + end).getBytes(StandardCharsets.UTF_8));
        i += end;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The value of an ASCII hex digit, else -1 (Character.digit would also take other scripts' digits). */
  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** A path or base URL that may not be used; the message is a rule it breaks, e.g. {@code must start with "/"}. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }
}
