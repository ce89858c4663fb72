package dev.remediator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
    if (ctx.body().isBlank()) {
      return null;
    }
    JsonNode reason = object(ctx, json, List.of("reason"), "{\"reason\": \"...\"}").get("reason");
    if (reason == null || reason.isNull()) {
      return null;
    }
    String text = text(reason);
    return text.isEmpty() ? null : text;
  }

  /**
   * The body as a JSON object holding only {@code fields}; anything else is a 400 naming the
   * body or the field, with {@code example} showing what is expected.
   */
  static JsonNode object(Context ctx, ObjectMapper json, List<String> fields, String example) {
    JsonNode root;
    try {
      root = json.readTree(ctx.body());
    } catch (JsonProcessingException e) {
      throw bad("body", "the body is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw bad("body", "the body must be a JSON object like " + example);
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw bad(shorten(name), "unknown field; only " + fields.stream().map(field -> "\"" + field + "\"")
            .collect(Collectors.joining(" and ")) + (fields.size() == 1 ? " is" : " are") + " accepted");
      }
    }
    return root;
  }

  /** A reason's text, stripped; a 400 on {@code reason} when it is not a string or longer than {@link #MAX_REASON}. */
  static String text(JsonNode reason) {
    if (!reason.isTextual()) {
      throw bad("reason", "must be a string");
    }
    String text = reason.asText().strip();
    if (text.length() > MAX_REASON) {
      throw bad("reason", "is " + text.length() + " characters long; at most " + MAX_REASON + " are allowed");
    }
    return text;
  }

  static ApiException bad(String field, String reason) {
    return new ApiException(new ApiError(400, field, reason), Map.of(), null);
  }

  /** {@code value}, cut to 40 characters for an error message. */
  static String shorten(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
