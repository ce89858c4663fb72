package dev.remediator.http;

import io.javalin.http.Context;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The browser sessions of the web page, kept in this process's memory only: a restart signs
 * everyone out, and nothing about a session (least of all a token) is ever written down. Each
 * session is keyed by a random 256-bit id and ends {@link #LIFETIME} after sign-in, whatever
 * happens in between.
 */
public final class Sessions {
  /** How long a sign-in lasts. */
  public static final Duration LIFETIME = Duration.ofHours(8);
  /** The cookie that carries the session id. */
  public static final String COOKIE = "remediator_session";
  /** The header a cookie-authenticated request that changes something must carry. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> open = new ConcurrentHashMap<>();

  public Sessions(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Starts a session for {@code role}; expired sessions are forgotten on the way. */
  public Session open(Role role) {
    Instant now = clock.instant();
    open.values().removeIf(session -> !now.isBefore(session.expiresAt()));
    Session session = new Session(randomToken(), role, randomToken(), now.plus(LIFETIME));
    open.put(session.id(), session);
    return session;
  }

  /** The live session with this id; an expired one is forgotten and not returned. */
  public Optional<Session> find(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.empty();
    }
    Session session = open.get(id);
    if (session == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(session.expiresAt())) {
      open.remove(id, session);
      return Optional.empty();
    }
    return Optional.of(session);
  }

  /** The live session whose id the request's cookie carries. */
  public Optional<Session> of(Context ctx) {
    return find(ctx.cookie(COOKIE));
  }

  /** Ends the session with this id (signing out); unknown ids are ignored. */
  public void close(String id) {
    if (id != null) {
      open.remove(id);
    }
  }

  /** Whether {@code presented} is the session's CSRF token, compared in constant time. */
  public static boolean csrfMatches(Session session, String presented) {
    return presented != null && MessageDigest.isEqual(session.csrfToken().getBytes(StandardCharsets.UTF_8),
        presented.getBytes(StandardCharsets.UTF_8));
  }

  /** The Set-Cookie value that hands {@code session} to the browser. */
  public static String cookie(Session session, boolean secure) {
    return COOKIE + "=" + session.id() + "; Path=/; Max-Age=" + LIFETIME.toSeconds()
        + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
  }

  /** The Set-Cookie value that makes the browser forget its session cookie. */
  public static String clearingCookie(boolean secure) {
    return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
  }

  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
