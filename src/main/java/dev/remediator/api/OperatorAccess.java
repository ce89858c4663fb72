package dev.remediator.api;

import dev.remediator.intake.WebhookAuth;
import io.javalin.http.Context;

/**
 * Guards operator endpoints with REMEDIATOR_OPERATOR_TOKEN. With no token configured they are
 * closed, never open: changing what remediator does always needs a credential.
 */
public final class OperatorAccess {
  private final WebhookAuth token;

  public OperatorAccess(WebhookAuth token) {
    this.token = token;
  }

  /** True if the request may proceed; otherwise the 401 has already been sent. */
  public boolean permits(Context ctx) {
    if (token.isOpen()) {
      new ApiError(401, "", "operator endpoints are disabled: set REMEDIATOR_OPERATOR_TOKEN").send(ctx);
      return false;
    }
    if (!token.permits(ctx.header("Authorization"))) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"remediator\"");
      new ApiError(401, "", "missing or wrong operator credentials").send(ctx);
      return false;
    }
    return true;
  }
}
