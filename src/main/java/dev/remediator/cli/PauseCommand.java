package dev.remediator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.remediator.rules.PromDuration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pause}: pulls a running server's kill switch (every replica sharing its store stops
 * deciding to act and claiming work) and prints one line saying so.
 */
@Command(name = "pause", mixinStandardHelpOptions = true,
    description = "Pause a running server: skip every decision and run nothing queued until resumed.",
    footerHeading = "%nExit status:%n",
    footer = {"  0 paused, 1 the server refused (401, 403, bad input) or could not be reached, 2 bad flags."})
public final class PauseCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Spec
  CommandSpec spec;

  @Mixin
  OperatorServer server;

  @Option(names = "--reason", required = true, description = "why automation stops; audited with the pause")
  String reason;

  @Option(names = "--for", description = "how long, e.g. 1h or 30m (default: until 'remediator resume')")
  String lasting;

  public PauseCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("reason", reason);
    if (lasting != null) {
      body.put("for", lasting);
    }
    return ServerCommands.run(spec, "pause", () -> {
      if (lasting != null) {
        duration(lasting);
      }
      JsonNode state = server.call("POST", "/api/v1/pause", body, env);
      return "paused by " + state.path("by").asText() + " " + until(state) + ": " + state.path("reason").asText();
    });
  }

  /** Checks {@code --for} before asking the server, so a typo is a usage error naming the flag. */
  private static void duration(String value) {
    try {
      PromDuration.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--for: " + e.getMessage(), e);
    }
  }

  private static String until(JsonNode state) {
    JsonNode until = state.path("until");
    return until.isTextual() ? "until " + until.asText() : "until resumed";
  }
}
