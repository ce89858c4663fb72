package dev.remediator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.engine.Approvals;
import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import dev.remediator.store.ApprovalOutcome;
import dev.remediator.store.RemediationState;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code POST /api/v1/remediations/{id}/approve} and {@code /reject}: operators release or refuse a
 * remediation that awaits approval, with an optional body {@code {"reason": "..."}}. Answers 404
 * for an unknown id and 409, naming the current state, for one that no longer awaits approval.
 */
public final class ApprovalHandler {
  /** The longest reason an operator may give, in characters. */
  public static final int MAX_REASON = 500;

  private final Approvals approvals;
  private final ObjectMapper json;

  public ApprovalHandler(Approvals approvals, ObjectMapper json) {
    this.approvals = approvals;
    this.json = json;
  }

  public void approve(Context ctx) {
    long id = id(ctx);
    String reason = reason(ctx);
    answer(ctx, approvals.approve(id, Access.actor(ctx), reason));
  }

  public void reject(Context ctx) {
    long id = id(ctx);
    String reason = reason(ctx);
    answer(ctx, approvals.reject(id, Access.actor(ctx), reason));
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
        "path parameter id must be a positive integer, got '" + shorten(raw) + "'"), Map.of(), null);
  }

  /** The optional reason from the body; null when the body is empty or gives none. */
  private String reason(Context ctx) {
    String body = ctx.body();
    if (body.isBlank()) {
      return null;
    }
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ApiException(new ApiError(400, "body", "the body is not valid JSON: " + e.getOriginalMessage()),
          Map.of(), null);
    }
    if (root == null || !root.isObject()) {
      throw new ApiException(new ApiError(400, "body", "the body must be a JSON object like {\"reason\": \"...\"}"),
          Map.of(), null);
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("reason")) {
        throw new ApiException(new ApiError(400, shorten(name), "unknown field; only \"reason\" is accepted"),
            Map.of(), null);
      }
    }
    JsonNode reason = root.get("reason");
    if (reason == null || reason.isNull()) {
      return null;
    }
    if (!reason.isTextual()) {
      throw new ApiException(new ApiError(400, "reason", "must be a string"), Map.of(), null);
    }
    String text = reason.asText().strip();
    if (text.length() > MAX_REASON) {
      throw new ApiException(new ApiError(400, "reason",
          "is " + text.length() + " characters long; at most " + MAX_REASON + " are allowed"), Map.of(), null);
    }
    return text.isEmpty() ? null : text;
  }

  private static String shorten(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
