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
 * credential, 403 for a valid credential that lacks the role. Operator endpoints are closed,
 * never open, while REMEDIATOR_OPERATOR_TOKEN is unset: changing what remediator does always
 * needs a credential. The operator credential also grants the viewer role.
 *
 * <p>A request without an Authorization header may instead carry the web page's session cookie,
 * which grants the role its sign-in token granted. Because a browser sends that cookie by itself,
 * a cookie-authenticated request that changes something must also echo the session's CSRF token
 * in {@code X-CSRF-Token}; clients that send a token are unaffected.
 */
public final class Access implements Credentials {
  private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer realm=\"remediator\"");

  private final TokenAuth webhook;
  private final TokenAuth operator;
  private final Sessions sessions;

  public Access(TokenAuth webhook, TokenAuth operator, Sessions sessions) {
    this.webhook = webhook;
    this.operator = operator;
    this.sessions = sessions;
  }

  /** The {@code beforeMatched} handler: returns normally when the request may proceed, else throws. */
  public void check(Context ctx) {
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.isEmpty() || roles.contains(Role.ANYONE)) {
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
    if (roles.contains(Role.WEBHOOK) && webhook.permits(authorization)) {
      return;
    }
    boolean operatorRole = roles.contains(Role.OPERATOR) || roles.contains(Role.VIEWER);
    if (operatorRole && operator.isOpen() && !roles.contains(Role.WEBHOOK)) {
      throw new ApiException(new ApiError(401, "", "operator endpoints are disabled: set REMEDIATOR_OPERATOR_TOKEN"),
          Map.of(), null);
    }
    boolean isOperator = !operator.isOpen() && operator.permits(authorization);
    if (operatorRole && isOperator) {
      return;
    }
    if (isOperator || (!webhook.isOpen() && webhook.permits(authorization))) {
      throw new ApiException(new ApiError(403, "", "this credential does not grant access to " + ctx.path()),
          Map.of(), null);
    }
    throw new ApiException(new ApiError(401, "", roles.contains(Role.WEBHOOK)
        ? "missing or wrong credentials" : "missing or wrong operator credentials"), CHALLENGE, null);
  }

  /** The roles {@code authorization} grants: the webhook token its role, the operator token operator and viewer. */
  @Override
  public Set<Role> granted(String authorization) {
    Set<Role> granted = EnumSet.noneOf(Role.class);
    if (!webhook.isOpen() && webhook.permits(authorization)) {
      granted.add(Role.WEBHOOK);
    }
    if (!operator.isOpen() && operator.permits(authorization)) {
      granted.add(Role.OPERATOR);
      granted.add(Role.VIEWER);
    }
    return granted;
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
