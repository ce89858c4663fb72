package dev.remediator.api;

import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import dev.remediator.http.Role;
import dev.remediator.http.TokenAuth;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Map;
import java.util.Set;

/**
 * Checks the roles a route declares, once, before its handler: 401 for a missing or wrong
 * credential, 403 for a valid credential that lacks the role. Operator endpoints are closed,
 * never open, while REMEDIATOR_OPERATOR_TOKEN is unset: changing what remediator does always
 * needs a credential. The operator credential also grants the viewer role.
 */
public final class Access {
  private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer realm=\"remediator\"");

  private final TokenAuth webhook;
  private final TokenAuth operator;

  public Access(TokenAuth webhook, TokenAuth operator) {
    this.webhook = webhook;
    this.operator = operator;
  }

  /** The {@code beforeMatched} handler: returns normally when the request may proceed, else throws. */
  public void check(Context ctx) {
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.isEmpty() || roles.contains(Role.ANYONE)) {
      return;
    }
    String authorization = ctx.header("Authorization");
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
}
