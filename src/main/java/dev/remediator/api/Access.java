package dev.remediator.api;

import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import dev.remediator.http.Role;
import dev.remediator.http.TokenAuth;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.EnumSet;
import java.util.Map;
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
 */
public final class Access {
  private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer realm=\"remediator\"");

  private final TokenAuth webhook;
  private final TokenAuth viewer;
  private final TokenAuth operator;

  public Access(TokenAuth webhook, TokenAuth viewer, TokenAuth operator) {
    this.webhook = webhook;
    this.viewer = viewer;
    this.operator = operator;
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
    Set<Role> granted = granted(ctx.header("Authorization"));
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
  private Set<Role> granted(String authorization) {
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
}
