package dev.remediator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.Map;

/**
 * What every operator request carries besides its path: who sent it (the actor audited with what
 * it changed) and the optional body {@code {"reason": "..."}}, read the same way by every
 * operator endpoint.
 */
final class OperatorRequest {
  /** The longest reason an operator may give, in characters. */
  static final int MAX_REASON = 500;

  private OperatorRequest() {}

  /** The actor audited for an operator request. */
  static String actor(Context ctx) {
    return "operator@" + ctx.ip();
  }

  /** The optional reason from the body; null when the body is empty or gives none. */
  static String reason(Context ctx, ObjectMapper json) {
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

  /** {@code value}, cut to 40 characters for an error message. */
  static String shorten(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
