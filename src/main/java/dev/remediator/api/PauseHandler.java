package dev.remediator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.engine.KillSwitch;
import dev.remediator.rules.PromDuration;
import dev.remediator.store.Pause;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kill switch over HTTP. {@code POST /api/v1/pause} with {@code {"reason": "...", "for": "1h"}}
 * pauses every replica ({@code for} is a Prometheus duration; without it the pause lasts until
 * resumed) and {@code DELETE /api/v1/pause} resumes. Both answer with the state they left.
 */
public final class PauseHandler {
  private static final List<String> FIELDS = List.of("reason", "for");

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
    return OperatorRequest.object(ctx, json, FIELDS, "{\"reason\": \"deploy freeze\", \"for\": \"1h\"}");
  }

  private static String reason(JsonNode reason) {
    if (reason == null || reason.isNull()) {
      throw OperatorRequest.bad("reason", "is required: say why automation stops, e.g. \"deploy freeze\"");
    }
    String text = OperatorRequest.text(reason);
    if (text.isEmpty()) {
      throw OperatorRequest.bad("reason", "must not be empty");
    }
    return text;
  }

  private static Optional<Duration> lasting(JsonNode lasting) {
    if (lasting == null || lasting.isNull()) {
      return Optional.empty();
    }
    if (!lasting.isTextual()) {
      throw OperatorRequest.bad("for", "must be a duration string like \"1h\" or \"30m\"");
    }
    Duration duration;
    try {
      duration = PromDuration.parse(lasting.asText());
    } catch (IllegalArgumentException e) {
      throw OperatorRequest.bad("for", e.getMessage());
    }
    if (duration.isZero()) {
      throw OperatorRequest.bad("for", "must be positive; leave it out to pause until resumed");
    }
    return Optional.of(duration);
  }
}
