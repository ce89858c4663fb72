package dev.remediator.action.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where a {@code redis} target's {@code url} points: {@code redis://[user:password@]host[:port][/db]}
 * or {@code rediss://} for TLS; port 6379 and db 0 when absent. User and password may be
 * percent-encoded; {@code redis://:password@host} gives a password without a user. Parse errors
 * say which part is wrong and never repeat the URL, which may hold the password.
 */
record RedisEndpoint(boolean tls, String host, int port, int db, Optional<String> user, Optional<String> password) {
  static final int DEFAULT_PORT = 6379;

  /** Parses {@code url}; throws IllegalArgumentException whose message holds nothing secret. */
  static RedisEndpoint parse(String url) {
    boolean tls;
    String rest;
    if (url.startsWith("redis://")) {
      tls = false;
      rest = url.substring("redis://".length());
    } else if (url.startsWith("rediss://")) {
      tls = true;
      rest = url.substring("rediss://".length());
    } else {
      throw new IllegalArgumentException("url must start with redis:// or rediss://");
    }
    if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
      throw new IllegalArgumentException("url must not have a query or fragment (percent-encode ? and # in a password)");
    }
    int slash = rest.indexOf('/', rest.lastIndexOf('@') + 1);
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    int at = authority.lastIndexOf('@');
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      int colon = userInfo.indexOf(':');
      String name = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      user = name.isEmpty() ? Optional.empty() : Optional.of(name);
      password = colon < 0 ? Optional.empty() : Optional.of(decode(userInfo.substring(colon + 1)));
    }
    String hostPort = authority.substring(at + 1);
    String host;
    String port;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("url has an unclosed [ in its host");
      }
      host = hostPort.substring(1, close);
      port = hostPort.substring(close + 1);
      if (!port.isEmpty() && !port.startsWith(":")) {
        throw new IllegalArgumentException("url must have :port after the ] of its host");
      }
      port = port.isEmpty() ? "" : port.substring(1);
    } else {
      int colon = hostPort.lastIndexOf(':');
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      port = colon < 0 ? "" : hostPort.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("url must name a host");
    }
    return new RedisEndpoint(tls, host, number(port, "port", DEFAULT_PORT, 1, 65_535),
        number(path, "db (the path)", 0, 0, 100_000), user, password);
  }

  /** How the endpoint reads in messages: {@code 127.0.0.1:6379 db 13}, no credentials. */
  String describe() {
    String where = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    return where + " db " + db;
  }

  private static int number(String text, String what, int absent, int low, int high) {
    if (text.isEmpty()) {
      return absent;
    }
    if (text.length() > 6 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("url " + what + " must be a number, but was \"" + text + "\"");
    }
    int value = Integer.parseInt(text);
    if (value < low || value > high) {
      throw new IllegalArgumentException("url " + what + " must be between " + low + " and " + high + ", but was "
          + value);
    }
    return value;
  }

  /** Percent-decoding as in URIs: {@code %40} is {@code @}, and {@code +} stays a plus. */
  private static String decode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
        pending.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 3;
      } else {
        out.append(pending.toString(StandardCharsets.UTF_8));
        pending.reset();
        out.append(c);
        i++;
      }
    }
    return out.append(pending.toString(StandardCharsets.UTF_8)).toString();
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
