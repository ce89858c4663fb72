package dev.remediator.api;

import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import dev.remediator.http.Credentials;
import dev.remediator.http.Role;
import dev.remediator.http.Session;
import dev.remediator.http.Sessions;
import dev.remediator.http.TokenAuth;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the roles a route declares, once, before its handler: 401 for a missing or wrong
 * credential, 403 for a valid credential that lacks the role. Three credentials grant roles: the
 * webhook token only {@link Role#WEBHOOK}, the viewer token {@link Role#VIEWER}, the operator token
 * {@link Role#OPERATOR} and {@link Role#VIEWER}. A token that is not configured grants nothing, so
 * viewer and operator endpoints are closed, never open, until their tokens are set; only the
 * webhook is open without its token (Alertmanager setups without auth exist). Every configured
 * token is compared, in constant time, whatever the route, so timing tells nothing about which
 * one a header nearly matched.
 *
 * <p>A request without an Authorization header may instead carry the web page's session cookie,
 * which grants the role its sign-in token granted. Because a browser sends that cookie by itself,
 * a cookie-authenticated request that changes something must also echo the session's CSRF token
 * in {@code X-CSRF-Token}; clients that send a token are unaffected.
 */
public final class Access implements Credentials {
  private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer realm=\"remediator\"");

  private final TokenAuth webhook;
  private final TokenAuth viewer;
  private final TokenAuth operator;
  private final Sessions sessions;

  public Access(TokenAuth webhook, TokenAuth viewer, TokenAuth operator, Sessions sessions) {
    this.webhook = webhook;
    this.viewer = viewer;
    this.operator = operator;
    this.sessions = sessions;
  }

  /** The {@code beforeMatched} handler: returns normally when the request may proceed, else throws. */
  public void check(Context ctx) {
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.isEmpty() || roles.contains(Role.ANYONE)) {
      return;
    }
    if (roles.contains(Role.WEBHOOK) && webhook.isOpen()) {
      return;
    }
    String authorization = ctx.header("Authorization");
    if (authorization == null && (roles.contains(Role.VIEWER) || roles.contains(Role.OPERATOR))) {
      Optional<Session> session = sessions.of(ctx);
      if (session.isPresent()) {
        checkSession(ctx, roles, session.get());
        return;
      }
    }
    Set<Role> granted = granted(authorization);
    for (RouteRole role : roles) {
      if (granted.contains(role)) {
        return;
      }
    }
    if (!granted.isEmpty()) {
      throw new ApiException(new ApiError(403, "", "this credential does not grant access to " + ctx.path()),
          Map.of(), null);
    }
    throw new ApiException(new ApiError(401, "", unauthenticated(roles)), CHALLENGE, null);
  }

  /** The roles the credential in {@code authorization} (null when absent) grants. */
  @Override
  public Set<Role> granted(String authorization) {
    boolean isWebhook = !webhook.isOpen() & webhook.permits(authorization);
    boolean isViewer = !viewer.isOpen() & viewer.permits(authorization);
    boolean isOperator = !operator.isOpen() & operator.permits(authorization);
    Set<Role> granted = EnumSet.noneOf(Role.class);
    if (isWebhook) {
      granted.add(Role.WEBHOOK);
    }
    if (isViewer || isOperator) {
      granted.add(Role.VIEWER);
    }
    if (isOperator) {
      granted.add(Role.OPERATOR);
    }
    return granted;
  }

  private String unauthenticated(Set<RouteRole> roles) {
    if (roles.contains(Role.OPERATOR) && operator.isOpen()) {
      return "operator endpoints are disabled: set REMEDIATOR_OPERATOR_TOKEN";
    }
    if (roles.contains(Role.VIEWER) && operator.isOpen() && viewer.isOpen()) {
      return "viewer endpoints are disabled: set REMEDIATOR_VIEWER_TOKEN or REMEDIATOR_OPERATOR_TOKEN";
    }
    if (roles.contains(Role.WEBHOOK)) {
      return "missing or wrong credentials";
    }
    return roles.contains(Role.OPERATOR)
        ? "missing or wrong operator credentials"
        : "missing or wrong viewer credentials";
  }

  private static void checkSession(Context ctx, Set<RouteRole> roles, Session session) {
    HandlerType method = ctx.method();
    boolean reads = method == HandlerType.GET || method == HandlerType.HEAD;
    if (!reads && !Sessions.csrfMatches(session, ctx.header(Sessions.CSRF_HEADER))) {
      throw new ApiException(new ApiError(403, Sessions.CSRF_HEADER,
          "missing or wrong CSRF token; reload the page and try again"), Map.of(), null);
    }
    for (RouteRole role : roles) {
      if (session.granted().contains(role)) {
        return;
      }
    }
    throw new ApiException(new ApiError(403, "", "this session does not grant access to " + ctx.path()),
        Map.of(), null);
  }
}
