package dev.remediator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.engine.KillSwitch;
import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import dev.remediator.rules.PromDuration;
import dev.remediator.store.Pause;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The kill switch over HTTP. {@code POST /api/v1/pause} with {@code {"reason": "...", "for": "1h"}}
 * pauses every replica ({@code for} is a Prometheus duration; without it the pause lasts until
 * resumed) and {@code DELETE /api/v1/pause} resumes. Both answer with the state they left.
 */
public final class PauseHandler {
  private static final Set<String> FIELDS = Set.of("reason", "for");

  private final KillSwitch killSwitch;
  private final ObjectMapper json;

  public PauseHandler(KillSwitch killSwitch, ObjectMapper json) {
    this.killSwitch = killSwitch;
    this.json = json;
  }

  public void pause(Context ctx) {
    JsonNode body = body(ctx);
    String reason = reason(body.get("reason"));
    Optional<Duration> lasting = lasting(body.get("for"));
    ctx.json(state(Optional.of(killSwitch.pause(OperatorRequest.actor(ctx), reason, lasting))));
  }

  public void resume(Context ctx) {
    Optional<Pause> ended = killSwitch.resume(OperatorRequest.actor(ctx));
    Map<String, Object> answer = state(Optional.empty());
    answer.put("resumed", ended.isPresent());
    ended.ifPresent(pause -> answer.put("was", describe(pause)));
    ctx.json(answer);
  }

  /** The pause as the API and {@code /-/ready} show it: {@code paused}, and the pause's facts when paused. */
  public static Map<String, Object> state(Optional<Pause> pause) {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("paused", pause.isPresent());
    pause.ifPresent(p -> state.putAll(describe(p)));
    return state;
  }

  private static Map<String, Object> describe(Pause pause) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("reason", pause.reason());
    facts.put("by", pause.actor());
    facts.put("since", pause.since().toString());
    facts.put("until", pause.endsAt().map(Instant::toString).orElse(null));
    return facts;
  }

  private JsonNode body(Context ctx) {
    JsonNode root;
    try {
      root = json.readTree(ctx.body());
    } catch (JsonProcessingException e) {
      throw bad("body", "the body is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw bad("body", "the body must be a JSON object like {\"reason\": \"deploy freeze\", \"for\": \"1h\"}");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw bad(OperatorRequest.shorten(name), "unknown field; only \"reason\" and \"for\" are accepted");
      }
    }
    return root;
  }

  private static String reason(JsonNode reason) {
    if (reason == null || reason.isNull()) {
      throw bad("reason", "is required: say why automation stops, e.g. \"deploy freeze\"");
    }
    if (!reason.isTextual()) {
      throw bad("reason", "must be a string");
    }
    String text = reason.asText().strip();
    if (text.isEmpty()) {
      throw bad("reason", "must not be empty");
    }
    if (text.length() > OperatorRequest.MAX_REASON) {
      throw bad("reason", "is " + text.length() + " characters long; at most " + OperatorRequest.MAX_REASON
          + " are allowed");
    }
    return text;
  }

  private static Optional<Duration> lasting(JsonNode lasting) {
    if (lasting == null || lasting.isNull()) {
      return Optional.empty();
    }
    if (!lasting.isTextual()) {
      throw bad("for", "must be a duration string like \"1h\" or \"30m\"");
    }
    Duration duration;
    try {
      duration = PromDuration.parse(lasting.asText());
    } catch (IllegalArgumentException e) {
      throw bad("for", e.getMessage());
    }
    if (duration.isZero()) {
      throw bad("for", "must be positive; leave it out to pause until resumed");
    }
    return Optional.of(duration);
  }

  private static ApiException bad(String field, String reason) {
    return new ApiException(new ApiError(400, field, reason), Map.of(), null);
  }
}
