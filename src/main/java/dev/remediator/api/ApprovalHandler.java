package dev.remediator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.engine.Approvals;
import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import dev.remediator.store.ApprovalOutcome;
import dev.remediator.store.RemediationState;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code POST /api/v1/remediations/{id}/approve} and {@code /reject}: operators release or refuse a
 * remediation that awaits approval, with an optional body {@code {"reason": "..."}}. Answers 404
 * for an unknown id and 409, naming the current state, for one that no longer awaits approval.
 */
public final class ApprovalHandler {
  private final Approvals approvals;
  private final ObjectMapper json;

  public ApprovalHandler(Approvals approvals, ObjectMapper json) {
    this.approvals = approvals;
    this.json = json;
  }

  public void approve(Context ctx) {
    long id = id(ctx);
    String reason = OperatorRequest.reason(ctx, json);
    answer(ctx, approvals.approve(id, OperatorRequest.actor(ctx), reason));
  }

  public void reject(Context ctx) {
    long id = id(ctx);
    String reason = OperatorRequest.reason(ctx, json);
    answer(ctx, approvals.reject(id, OperatorRequest.actor(ctx), reason));
  }

  private static void answer(Context ctx, ApprovalOutcome outcome) {
    if (outcome instanceof ApprovalOutcome.Moved moved) {
      ctx.json(Map.of("id", moved.remediation().id(), "state", moved.state().wireName()));
    } else if (outcome instanceof ApprovalOutcome.NotAwaiting other) {
      throw new ApiException(new ApiError(409, "state", "remediation " + other.id() + " is "
          + other.state().wireName() + ", not " + RemediationState.AWAITING_APPROVAL.wireName()), Map.of(), null);
    } else if (outcome instanceof ApprovalOutcome.NotFound missing) {
      throw new ApiException(new ApiError(404, "id", "no remediation with id " + missing.id()), Map.of(), null);
    }
  }

  private static long id(Context ctx) {
    String raw = ctx.pathParam("id");
    try {
      long id = Long.parseLong(raw);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(new ApiError(400, "id",
        "path parameter id must be a positive integer, got '" + OperatorRequest.shorten(raw) + "'"), Map.of(), null);
  }
}
