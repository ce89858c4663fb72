package dev.remediator.web;

import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import dev.remediator.http.Credentials;
import dev.remediator.http.Page;
import dev.remediator.http.Role;
import dev.remediator.http.Session;
import dev.remediator.http.Sessions;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The audit web page at {@code /}: the sign-in form without a session, else the page. Signing in
 * checks the token exactly as the API does and opens a server-side session that remembers the
 * role, never the token. The cookie is HttpOnly and SameSite=Strict, and Secure when the page is
 * reached over TLS (directly, through a proxy that says so, or per REMEDIATOR_EXTERNAL_URL).
 */
public final class AuditPage implements Page {
  private static final String HTML = "text/html; charset=utf-8";
  private static final Map<String, String> ASSET_TYPES = Map.of(
      "app.js", "text/javascript; charset=utf-8",
      "app.css", "text/css; charset=utf-8");
  private static final int MAX_FILTER = 200;

  private final Credentials credentials;
  private final Sessions sessions;
  private final boolean servedOverTls;
  private final Map<String, byte[]> assets = new LinkedHashMap<>();

  /** {@code servedOverTls}: the external URL people use is https, so cookies are always Secure. */
  public AuditPage(Credentials credentials, Sessions sessions, boolean servedOverTls) {
    this.credentials = credentials;
    this.sessions = sessions;
    this.servedOverTls = servedOverTls;
    ASSET_TYPES.keySet().forEach(name -> assets.put(name, resource(name)));
  }

  @Override
  public void show(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    Optional<Session> session = sessions.of(ctx);
    if (session.isEmpty()) {
      ctx.contentType(HTML).result(PageHtml.signIn(null));
      return;
    }
    Map<String, String> filters = new LinkedHashMap<>();
    for (String name : PageHtml.FILTERS) {
      String value = ctx.queryParam(name);
      filters.put(name, value == null ? "" : value.length() > MAX_FILTER ? value.substring(0, MAX_FILTER) : value);
    }
    ctx.contentType(HTML).result(PageHtml.page(session.get(), filters));
  }

  @Override
  public void signIn(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    refuseCrossSite(ctx);
    String token = ctx.formParam("token");
    if (token == null || token.isBlank()) {
      ctx.status(400).contentType(HTML).result(PageHtml.signIn("Enter the viewer or operator token."));
      return;
    }
    Set<Role> granted = credentials.granted("Bearer " + token.strip());
    if (!granted.contains(Role.VIEWER)) {
      ctx.status(granted.isEmpty() ? 401 : 403).contentType(HTML).result(PageHtml.signIn(granted.isEmpty()
          ? "That token is not a viewer or operator token." : "That token may not read the audit trail."));
      return;
    }
    Session session = sessions.open(granted.contains(Role.OPERATOR) ? Role.OPERATOR : Role.VIEWER);
    ctx.header("Set-Cookie", Sessions.cookie(session, secure(ctx)));
    ctx.redirect("/", HttpStatus.SEE_OTHER);
  }

  @Override
  public void signOut(Context ctx) {
    refuseCrossSite(ctx);
    Optional<Session> session = sessions.of(ctx);
    if (session.isPresent()) {
      if (!Sessions.csrfMatches(session.get(), ctx.formParam("csrf"))) {
        throw new ApiException(new ApiError(403, "csrf", "missing or wrong CSRF token; reload the page and try again"),
            Map.of(), null);
      }
      sessions.close(session.get().id());
    }
    ctx.header("Set-Cookie", Sessions.clearingCookie(secure(ctx)));
    ctx.redirect("/", HttpStatus.SEE_OTHER);
  }

  @Override
  public void asset(Context ctx) {
    String name = ctx.pathParam("file");
    byte[] body = assets.get(name);
    if (body == null) {
      throw new ApiException(new ApiError(404, "file", "no such file"), Map.of(), null);
    }
    ctx.header("Cache-Control", "no-cache").contentType(ASSET_TYPES.get(name)).result(body);
  }

  private boolean secure(Context ctx) {
    return servedOverTls || "https".equalsIgnoreCase(ctx.scheme())
        || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
  }

  /**
   * A form posted from another site (its Origin names another host) is refused before it is read.
   * Origin "null" passes: with Referrer-Policy no-referrer browsers send it for this page's own
   * forms, and sign-out checks the CSRF token anyway.
   */
  private static void refuseCrossSite(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null || origin.equals("null")) {
      return;
    }
    String host = ctx.header("Host");
    String originHost;
    try {
      originHost = URI.create(origin).getRawAuthority();
    } catch (IllegalArgumentException e) {
      originHost = null;
    }
    if (host == null || !host.equalsIgnoreCase(originHost)) {
      throw new ApiException(new ApiError(403, "Origin", "a form from another site may not sign in or out here"),
          Map.of(), null);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = AuditPage.class.getResourceAsStream("/web/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the web page's " + name + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the web page's " + name, e);
    }
  }
}
